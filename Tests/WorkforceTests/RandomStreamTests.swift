import Testing
@testable import Workforce

/// The keyed stream layout (docs/engine.md, "Randomness and reproducibility").
@Suite struct RandomStreamTests {
    /// The pair the audit found: seed 18115's replication i + 4 was seed 17426's replication i.
    @Test func auditedSeedsShareNoReplication() {
        let a = Set((0..<1_000).map { StreamKey.replication(master: 18_115, $0) })
        let b = Set((0..<1_000).map { StreamKey.replication(master: 17_426, $0) })
        #expect(a.count == 1_000 && b.count == 1_000)
        #expect(a.isDisjoint(with: b))
    }

    /// No two of master seeds 1 … 20,000 can share a replication key in runs of 1,000
    /// replications: keys of seeds a, b can coincide only if mix(a) XOR mix(b) < 1024 (the
    /// condition `runsMayOverlap` tests), checked here for every pair at once by sorting.
    @Test func noTwoMasterSeedsOverlap() {
        let prefixes = (UInt64(1)...20_000).map { StreamKey.mix($0) >> 10 }.sorted()
        #expect(zip(prefixes, prefixes.dropFirst()).allSatisfy { $0 != $1 })
        #expect(!RandomStream.runsMayOverlap(18_115, 17_426, replications: 1_000))
    }

    /// `runsMayOverlap` is exact in the direction that matters: where it says "cannot", brute force
    /// over every replication key finds no shared key (200 seeds × 1,000 replications).
    @Test func overlapConditionAgreesWithBruteForce() {
        var seen: [StreamKey: UInt64] = [:]
        var collisions = 0
        for master in UInt64(1)...200 {
            for i in 0..<1_000 {
                if let other = seen.updateValue(master, forKey: StreamKey.replication(master: master, i)), other != master {
                    collisions += 1
                    #expect(RandomStream.runsMayOverlap(master, other, replications: 1_000))
                }
            }
        }
        #expect(collisions == 0)
        #expect(seen.count == 200_000)
    }

    /// Within one replication every (purpose, step, a, b) names a distinct substream, and the
    /// first numbers of distinct substreams differ.
    @Test func substreamsAreDistinct() throws {
        let replication = StreamKey.replication(master: 42, 3)
        var keys = Set<StreamKey>()
        for purpose in StreamKey.Purpose.allCases {
            for step in 0..<60 {
                for a in 0..<8 {
                    for b in 0..<12 { keys.insert(replication.substream(purpose, step: step, a, b)) }
                }
            }
        }
        #expect(keys.count == StreamKey.Purpose.allCases.count * 60 * 8 * 12)
        #expect(replication.substream(.parameter, label: "leaving.rates.Constable[0]")
                != replication.substream(.parameter, label: "leaving.rates.Constable[1]"))
        let stream = try RandomStream(key: replication.substream(.leaving, step: 1, 0, 0))
        let first = (0..<4).map { _ in stream.uniform() }
        stream.rekey(replication.substream(.leaving, step: 1, 0, 1))
        let other = (0..<4).map { _ in stream.uniform() }
        stream.rekey(replication.substream(.leaving, step: 1, 0, 0))
        let again = (0..<4).map { _ in stream.uniform() }
        #expect(first == again)
        #expect(first != other)
    }

    /// Re-keyed substreams are uniform: the mean and variance of the first number of 100,000
    /// consecutive substreams match U(0, 1) within 4 standard errors, and so does the lag-one
    /// correlation between neighbouring substreams' first numbers.
    @Test func firstNumbersOfSubstreamsAreUniform() throws {
        let replication = StreamKey.replication(master: 1, 0)
        let stream = try RandomStream(key: replication)
        let n = 100_000
        var sum = 0.0, sumSquares = 0.0, lag = 0.0, previous = 0.5
        for step in 0..<n {
            stream.rekey(replication.substream(.leaving, step: step))
            let u = stream.uniform()
            sum += u
            sumSquares += (u - 0.5) * (u - 0.5)
            lag += (u - 0.5) * (previous - 0.5)
            previous = u
        }
        let N = Double(n)
        #expect(abs(sum / N - 0.5) < 4 * (1.0 / 12 / N).squareRoot())
        // Var of (u − ½)² is 1/180; of (u − ½)(v − ½), 1/144.
        #expect(abs(sumSquares / N - 1.0 / 12) < 4 * (1.0 / 180 / N).squareRoot())
        #expect(abs(lag / N) < 4 * (1.0 / 144 / N).squareRoot())
    }
}
