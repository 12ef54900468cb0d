import Testing

@testable import Workforce

@Suite struct LatinHypercubeTests {
    /// Every dimension has exactly one point in each of the `count` equal intervals.
    @Test(arguments: [(1, 1), (7, 3), (50, 2), (200, 5)])
    func everyIntervalOfEveryDimensionHoldsOnePoint(count: Int, dimensions: Int) throws {
        let points = try LatinHypercube.sample(count: count, dimensions: dimensions, seed: 42)
        #expect(points.count == count)
        for j in 0..<dimensions {
            let column = points.map { $0[j] }
            #expect(column.allSatisfy { (0..<1).contains($0) })
            let intervals = column.map { Int(($0 * Double(count)).rounded(.down)) }.sorted()
            #expect(intervals == Array(0..<count), "dimension \(j)")
        }
    }

    @Test func theSameSeedGivesTheSamePointsAndAnotherSeedOthers() throws {
        let a = try LatinHypercube.sample(count: 20, dimensions: 3, seed: 7)
        let b = try LatinHypercube.sample(count: 20, dimensions: 3, seed: 7)
        let c = try LatinHypercube.sample(count: 20, dimensions: 3, seed: 8)
        #expect(a == b)
        #expect(a != c)
    }

    /// The dimensions are shuffled independently: with 100 points, the intervals of two
    /// dimensions are not the same order (chance 1/100!), and positions inside the intervals
    /// are spread, not all at the centre.
    @Test func dimensionsAreIndependentAndPositionsRandom() throws {
        let n = 100
        let points = try LatinHypercube.sample(count: n, dimensions: 2, seed: 3)
        let first = points.map { Int($0[0] * Double(n)) }, second = points.map { Int($0[1] * Double(n)) }
        #expect(first != second)
        let offsets = points.map { $0[0] * Double(n) - Double(Int($0[0] * Double(n))) }
        let mean = offsets.reduce(0, +) / Double(n)
        #expect(abs(mean - 0.5) < 0.15)
        #expect(offsets.min()! < 0.1 && offsets.max()! > 0.9)
    }

    /// The sampling generator's key depends on the seed and is not any replication's key.
    @Test func samplingKeysAreDistinct() {
        let keys = (0..<1000).map { LatinHypercube.key(UInt64($0)) }
        #expect(Set(keys).count == 1000)
        let replications = Set((0..<1000).map { StreamKey.replication(master: 7, $0) })
        #expect(!replications.contains(LatinHypercube.key(7)))
    }
}
