import Dispatch
import Foundation

/// Runs a model: many Monte Carlo replications in parallel, or one expected-value projection.
///
/// Replication `i` draws from GSL generators seeded from `(seed, i, flow)` only, and results
/// are gathered in replication order, so the output is bit-identical whatever the thread count.
public enum Engine {
    /// How to run a model.
    public struct Options: Sendable {
        /// Number of replications (ignored in expected-value mode, which is one projection).
        public var replications: Int
        /// The master seed.
        public var seed: UInt64
        /// Worker threads (≥ 1).
        public var threads: Int
        /// Replace every random draw by its expectation (real-valued stocks).
        public var expected: Bool
        /// The number of the first replication run: a run covers replications `first ..<
        /// first + replications`, each the same whatever `first` (replication `i` depends only
        /// on the seed and `i`), so runs of consecutive ranges together are one longer run, as
        /// the sequential analyses use them (`SequentialTest`). 0 unless extending a run.
        public var first: Int

        public init(replications: Int, seed: UInt64, threads: Int = 1, expected: Bool = false, first: Int = 0) {
            self.replications = replications
            self.seed = seed
            self.threads = threads
            self.expected = expected
            self.first = first
        }

        /// The options a model's own `simulation` section asks for.
        public init(_ model: Model, threads: Int = 1) {
            self.init(replications: model.timeline.replications, seed: model.timeline.seed, threads: threads)
        }
    }

    /// Runs `model` and keeps every replication's record (`RunResult`), for the analyses that
    /// need each replication (paired differences, backtests). Memory: `Plan.countsPerReplication`
    /// 32-bit counts per replication; `summarize` needs none of it.
    public static func run(
        _ model: Model, _ options: Options, progress: (@Sendable (Int) -> Void)? = nil
    ) throws(EngineError) -> RunResult {
        let plan = Plan(model)
        var store = RecordStore(plan: plan, expected: options.expected, replications: options.expected ? 1 : options.replications)
        try run(plan, options, into: &store, progress: progress)
        return RunResult(plan: plan, expected: options.expected, store: store)
    }

    /// Runs `model` and summarises it in memory independent of the number of replications
    /// (`SummaryAccumulator`): the same `Summary` as `Summary(run(model, options))`.
    /// `perReplication`, if given, receives every record too, in replication order, one call at a
    /// time (for streaming them to disk: `run --per-replication`). `alongside`, if given, runs
    /// once on one of the run's workers before it takes replications (`run(_:_:into:progress:alongside:)`).
    public static func summarize(
        _ model: Model, _ options: Options, progress: (@Sendable (Int) -> Void)? = nil,
        perReplication: ((ReplicationRecord) -> Void)? = nil, alongside: (@Sendable () -> Void)? = nil
    ) throws(EngineError) -> Summary {
        let plan = Plan(model)
        var sink = Tee(summary: SummaryAccumulator(plan: plan, expected: options.expected), also: perReplication)
        try run(plan, options, into: &sink, progress: progress, alongside: alongside)
        return sink.summary.finish()
    }

    /// A summary that also hands each record on.
    private struct Tee: ReplicationSink {
        var summary: SummaryAccumulator
        let also: ((ReplicationRecord) -> Void)?

        mutating func consume(_ record: ReplicationRecord) {
            summary.consume(record)
            also?(record)
        }
    }

    /// What one worker of a run did, to see whether every thread did its share
    /// (`Engine.run(_:_:into:progress:)` returns one per worker; the benchmark prints them).
    public struct WorkerLoad: Sendable, Equatable {
        /// Replications this worker ran.
        public var replications: Int
        /// CPU seconds its thread used (`CLOCK_THREAD_CPUTIME_ID`): its replications and the
        /// records it handed to the sink. Not affected by other processes on the machine.
        public var cpuSeconds: Double
        /// Wall seconds it spent blocked because its record was more than the delivery window
        /// ahead of the next one due (another worker's replication still running).
        public var waitingSeconds: Double
        /// Wall seconds from the start of the run to this worker's first claim: how long its
        /// thread took to start.
        public var startSeconds: Double

        public init(replications: Int = 0, cpuSeconds: Double = 0, waitingSeconds: Double = 0, startSeconds: Double = 0) {
            self.replications = replications
            self.cpuSeconds = cpuSeconds
            self.waitingSeconds = waitingSeconds
            self.startSeconds = startSeconds
        }
    }

    /// Runs `plan`, handing each replication's record to `sink` as soon as it and every earlier
    /// one are finished, in replication order, one at a time (from whichever worker finished
    /// it, with no lock held: one worker at a time delivers). Workers take the next replication
    /// not yet taken; one more than `8 × threads` replications ahead of the sink waits (for a
    /// replication already taken by a running worker, so never for a worker not yet started),
    /// so memory holds at most that many records besides what `sink` keeps. `progress` is called
    /// (from worker threads) with the number of replications handed over so far.
    ///
    /// Worker 0 is the calling thread; each other worker gets a thread of its own, started here
    /// and joined before returning (not Dispatch's shared pool, which may start a helper late or
    /// run a nested `concurrentPerform` serially: docs/engine.md, "Threads").
    ///
    /// `alongside`, if given, is other work of the same command (e.g. the expected-value runs of
    /// the attainability bounds) run once by the last worker before it takes replications, so
    /// that it shares the `threads` cores with the replications instead of running after them
    /// on one. The other workers take the replications meanwhile; which worker runs which
    /// replication never changes a record, so the output is the same. Its time counts in that
    /// worker's `cpuSeconds`.
    /// Returns what each worker did (`WorkerLoad`), in worker order.
    @discardableResult
    public static func run<Sink: ReplicationSink>(
        _ plan: Plan, _ options: Options, into sink: inout Sink, progress: (@Sendable (Int) -> Void)? = nil,
        alongside: (@Sendable () -> Void)? = nil
    ) throws(EngineError) -> [WorkerLoad] {
        let n = options.expected ? 1 : options.replications
        guard n >= 1, options.first >= 0, n <= RandomStream.maxReplications - options.first else {
            throw .tooManyReplications(options.first + n)
        }
        guard options.threads >= 1 else { throw .invalidThreads(options.threads) }
        let threads = min(options.threads, n)
        let delivery = OrderedDelivery(sink, first: options.first, replications: n, window: 8 * threads)
        let handOver: any RecordDelivery = delivery
        let loads = WorkerLoads(count: threads)
        let started = ContinuousClock.now

        let work: @Sendable (Int) -> Void = { worker in
            var load = WorkerLoad()
            let cpu = threadCPUSeconds()
            defer {
                load.cpuSeconds = threadCPUSeconds() - cpu
                loads.set(worker, load)
            }
            if worker == threads - 1 { alongside?() }
            let replication = Replication(plan: plan, expected: options.expected)
            var first = true
            while let i = handOver.claim() {
                if first {
                    load.startSeconds = Engine.seconds(ContinuousClock.now - started)
                    first = false
                }
                do throws(EngineError) {
                    let record = try replication.run(replication: i, seed: options.seed)
                    load.replications += 1
                    // nil only when the run has failed. (0 is a count like any other: a worker whose
                    // first record is finished before replication 0's has handed nothing over yet,
                    // and stopping it then left a run of two threads on one; issue 23.)
                    guard let delivered = handOver.deliver(record, waited: &load.waitingSeconds) else { return }
                    if delivered > 0 { progress?(delivered) }
                } catch {
                    handOver.fail(error)
                    return
                }
            }
        }
        onThreads(threads, work)
        sink = try delivery.finish()
        return loads.values
    }

    /// Runs `work(k)` for every `k` in `0..<count` at once, each on a thread of its own (`k = 0`
    /// on the caller's), and returns when every one has. Cost: `count − 1` thread starts (tens of
    /// microseconds each).
    static func onThreads(_ count: Int, _ work: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            work(0)
            return
        }
        let finished = DispatchGroup()
        for k in 1..<count {
            finished.enter()
            let thread = Thread {
                work(k)
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        work(0)
        finished.wait()
    }

    /// CPU seconds used so far by the calling thread.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The version of GSL linked in.
    public static var gslVersion: String { GSL.version }
}

/// One replication's record, as a `ReplicationSink` receives it.
public struct ReplicationRecord: Sendable {
    /// The replication's number, from 0.
    public var replication: Int
    /// `Plan.countsPerReplication` values: headcounts by rank × group at the report steps
    /// (`Plan.headcountIndex`), then flows by rank × group per simulation year (`Plan.flowIndex`).
    /// Whole numbers, except in expected-value mode.
    public var counts: [Double]
    /// Each target's measure at its date (NaN when its denominator is empty).
    public var targetValues: [Double]
    /// The step from which each target was first met and kept met (docs/engine.md, "First
    /// met"), or -1 if never.
    public var firstMet: [Int32]

    public init(replication: Int, counts: [Double], targetValues: [Double], firstMet: [Int32]) {
        self.replication = replication
        self.counts = counts
        self.targetValues = targetValues
        self.firstMet = firstMet
    }

}

/// What consumes a run's records as they are produced (`Engine.run(_:_:into:progress:)`): a
/// summary, a store of every record, a per-replication writer. `consume` is called once per
/// replication, in replication order (0, 1, 2, …), one call at a time, so a sink that depends on
/// the order still gives the same result whatever the thread count.
public protocol ReplicationSink {
    mutating func consume(_ record: ReplicationRecord)
}

/// `OrderedDelivery` as the workers see it (whatever the sink's type).
private protocol RecordDelivery: AnyObject, Sendable {
    func claim() -> Int?
    func deliver(_ record: ReplicationRecord, waited: inout Double) -> Int?
    func fail(_ error: EngineError)
}

/// Each worker's `WorkerLoad`, set once by the worker as it ends.
private final class WorkerLoads: @unchecked Sendable {
    private let lock = NSLock()
    private var loads: [Engine.WorkerLoad]

    init(count: Int) { loads = Array(repeating: Engine.WorkerLoad(), count: count) }

    func set(_ worker: Int, _ load: Engine.WorkerLoad) {
        lock.lock()
        loads[worker] = load
        lock.unlock()
    }

    var values: [Engine.WorkerLoad] {
        lock.lock()
        defer { lock.unlock() }
        return loads
    }
}

/// Hands records to a sink in replication order: a ring of `window` slots for records finished
/// ahead of the next one due; a worker whose record does not fit yet waits.
///
/// The sink consumes outside the lock: one worker at a time (`delivering`) takes the due
/// records out of the ring in order and hands them over with the lock released, so the others
/// keep claiming replications and queueing records meanwhile. Under the lock, a summary's
/// batch (`SummaryAccumulator`, ≈ 36 replications' values added at once) held every other
/// worker for as long as it took.
private final class OrderedDelivery<Sink: ReplicationSink>: RecordDelivery, @unchecked Sendable {
    private let condition = NSCondition()
    private var sink: Sink
    private var slots: [ReplicationRecord?]
    /// The run's replications, `first ..< first + replications`.
    private let first: Int
    private let replications: Int
    /// The next replication to hand over, and the next not yet taken by a worker, counted from
    /// `first`.
    private var next = 0
    private var claimed = 0
    private var failure: EngineError?
    /// Whether a worker is handing records to the sink (only that worker touches `sink`).
    private var delivering = false

    init(_ sink: Sink, first: Int, replications: Int, window: Int) {
        self.sink = sink
        self.first = first
        self.replications = replications
        slots = Array(repeating: nil, count: window)
    }

    /// The next replication for a worker to run; nil when all are taken or the run has failed.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard failure == nil, claimed < replications else { return nil }
        claimed += 1
        return first + claimed - 1
    }

    /// Queues `record` (waiting for room, the wall seconds waited added to `waited`); unless
    /// another worker is delivering, hands over every record due, including any queued
    /// meanwhile. Returns how many have been taken for handing over so far (possibly 0: replication
    /// 0 not finished yet); nil when the run has failed and the worker should stop.
    func deliver(_ record: ReplicationRecord, waited: inout Double) -> Int? {
        let position = record.replication - first
        condition.lock()
        if failure == nil, position >= next + slots.count {
            let since = ContinuousClock.now
            while failure == nil, position >= next + slots.count { condition.wait() }
            waited += Engine.seconds(ContinuousClock.now - since)
        }
        guard failure == nil else {
            condition.unlock()
            return nil
        }
        slots[position % slots.count] = record
        if !delivering {
            delivering = true
            while let due = slots[next % slots.count] {
                slots[next % slots.count] = nil
                next += 1
                condition.broadcast()  // a slot is free
                condition.unlock()
                sink.consume(due)
                condition.lock()
            }
            delivering = false
        }
        let handed = next
        condition.unlock()
        return handed
    }

    /// Stops the run: waiting workers return, and `finish` throws `error` (the first reported).
    func fail(_ error: EngineError) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    func finish() throws(EngineError) -> Sink {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        return sink
    }
}

/// Every record of a run, in replication order (the sink behind `Engine.run(_:_:progress:)`).
struct RecordStore: ReplicationSink {
    let width: Int
    let expected: Bool
    var integers: [Int32] = []
    var reals: [Double] = []
    var targetValues: [Double] = []
    var firstMet: [Int32] = []
    var replications = 0

    /// Room for `replications` records, reserved up front so the arrays never grow by doubling.
    init(plan: Plan, expected: Bool, replications: Int) {
        self.expected = expected
        width = plan.countsPerReplication
        let targets = plan.model.targets.count
        if expected { reals.reserveCapacity(replications * width) } else { integers.reserveCapacity(replications * width) }
        targetValues.reserveCapacity(replications * targets)
        firstMet.reserveCapacity(replications * targets)
    }

    mutating func consume(_ record: ReplicationRecord) {
        if expected {
            reals += record.counts
        } else {
            integers += record.counts.lazy.map { Int32($0) }  // checked: counts of officers never exceed Limits.officers = Int32.max (the capacity check at validation)
        }
        targetValues += record.targetValues
        firstMet += record.firstMet
        replications += 1
    }
}

/// The compact record of every replication of a run, in replication order: headcounts by rank
/// × group at the report steps, flows by rank × group per year, and each target's measure at its
/// date and first step met. For summaries alone, `Engine.summarize` needs none of this.
public struct RunResult: Sendable {
    public let plan: Plan
    public let expected: Bool
    public let replications: Int
    private let store: RecordStore

    init(plan: Plan, expected: Bool, store: RecordStore) {
        self.plan = plan
        self.expected = expected
        self.replications = store.replications
        self.store = store
    }

    /// A recorded count of one replication (see `Plan.headcountIndex`, `Plan.flowIndex`).
    public func count(replication i: Int, _ index: Int) -> Double {
        let offset = i * store.width + index
        return expected ? store.reals[offset] : Double(store.integers[offset])
    }

    /// A target's measure at its date in one replication (NaN when its denominator is empty).
    public func targetValue(replication i: Int, target: Int) -> Double {
        store.targetValues[i * plan.model.targets.count + target]
    }

    /// The first step at which a target was met in one replication, nil if never.
    public func firstMet(replication i: Int, target: Int) -> Int? {
        let step = store.firstMet[i * plan.model.targets.count + target]
        return step < 0 ? nil : Int(step)
    }

    /// Replication `i`'s record, rebuilt (allocates its arrays).
    public func record(_ i: Int) -> ReplicationRecord {
        let t = plan.model.targets.count
        return ReplicationRecord(
            replication: i, counts: (0..<store.width).map { count(replication: i, $0) },
            targetValues: Array(store.targetValues[(i * t)..<((i + 1) * t)]), firstMet: Array(store.firstMet[(i * t)..<((i + 1) * t)]))
    }
}
