import Foundation
import Testing
import Workforce
import _WorkforceTestSupport

/// How the engine shares a run among its workers, and runs over ranges of replications.
@Suite struct WorkerTests {
    /// Replications run in consecutive ranges (`Engine.Options.first`) are the replications of
    /// one run: the same records, whatever the threads.
    @Test func rangesOfReplicationsAreOneRun() throws {
        let model = oneRankModel(recruitShare: 0.3, replications: 30)
        let whole = try Engine.run(model, .init(replications: 30, seed: 9, threads: 1))
        let head = try Engine.run(model, .init(replications: 12, seed: 9, threads: 2))
        let tail = try Engine.run(model, .init(replications: 18, seed: 9, threads: 2, first: 12))
        for i in 0..<30 {
            let part = i < 12 ? head.record(i) : tail.record(i - 12)
            #expect(part.counts == whole.record(i).counts)
            #expect(part.targetValues.elementsEqual(whole.record(i).targetValues) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }

    /// Work run alongside a run's replications (`alongside`, the bounds in `workforce run`) runs
    /// once, on one worker, and the run hands over the same records, in order, as without it.
    @Test func workAlongsideRunsOnceAndLeavesTheRecords() throws {
        let model = oneRankModel(recruitShare: 0.3, replications: 40)
        struct Records: ReplicationSink {
            var seen: [ReplicationRecord] = []
            mutating func consume(_ record: ReplicationRecord) { seen.append(record) }
        }
        final class Count: @unchecked Sendable {
            private let lock = NSLock()
            private var n = 0
            func add() { lock.lock(); n += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return n }
        }
        let calls = Count()
        var plain = Records(), with = Records()
        try Engine.run(Plan(model), .init(replications: 40, seed: 5, threads: 1), into: &plain)
        let loads = try Engine.run(Plan(model), .init(replications: 40, seed: 5, threads: 2), into: &with, alongside: { calls.add() })
        #expect(calls.value == 1)
        #expect(loads.reduce(0) { $0 + $1.replications } == 40)
        #expect(with.seen.map(\.replication) == Array(0..<40))
        #expect(with.seen.map(\.counts) == plain.seen.map(\.counts))
    }

    /// A run over a range of replications hands over exactly those, in order, and its workers'
    /// loads account for every one. (How evenly they share depends on the machine's load, so
    /// the benchmark's `--workers` shows that, not a test.)
    @Test func workerLoadsAccountForTheRun() throws {
        let model = oneRankModel(recruitShare: 0.3, replications: 200)
        var store = [Int]()
        struct Numbers: ReplicationSink {
            var seen: [Int] = []
            mutating func consume(_ record: ReplicationRecord) { seen.append(record.replication) }
        }
        var sink = Numbers()
        let loads = try Engine.run(Plan(model), .init(replications: 200, seed: 3, threads: 2, first: 50), into: &sink)
        store = sink.seen
        #expect(store == Array(50..<250))
        #expect(loads.count == 2)
        #expect(loads.reduce(0) { $0 + $1.replications } == 200)
        #expect(loads.allSatisfy { $0.replications == 0 || $0.cpuSeconds > 0 })
    }

    /// Issue 23: a worker whose first record was finished before replication 0's was handed over
    /// stopped (it took "0 handed over" for "the run failed"), so a run of two threads often ran
    /// on one: the other worker ran 1 replication of 1,000. Now both run their share: in each of
    /// 20 runs each worker runs at least a tenth of the replications (with the fault, half the
    /// runs gave one worker a single replication).
    @Test func bothWorkersRunInEveryRun() throws {
        let model = oneRankModel(recruitShare: 0.3, n: 2000, replications: 400)
        let plan = Plan(model)
        for run in 0..<20 {
            var summary = SummaryAccumulator(plan: plan, expected: false)
            let loads = try Engine.run(plan, .init(replications: 400, seed: UInt64(run), threads: 2), into: &summary)
            #expect(loads.map(\.replications).min()! >= 100, "run \(run): \(loads.map(\.replications))")
        }
    }
}
