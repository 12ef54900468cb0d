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

        public init(replications: Int, seed: UInt64, threads: Int = 1, expected: Bool = false) {
            self.replications = replications
            self.seed = seed
            self.threads = threads
            self.expected = expected
        }

        /// The options a model's own `simulation` section asks for.
        public init(_ model: Model, threads: Int = 1) {
            self.init(replications: model.timeline.replications, seed: model.timeline.seed, threads: threads)
        }
    }

    /// Runs `model`. `progress` is called (from worker threads) with the number of replications
    /// finished so far. `perReplication`, if given, receives every replication's record in
    /// replication order, one call at a time, as soon as its predecessors are done (holding at
    /// most 64 × threads records). Memory: `Plan.countsPerReplication` 32-bit counts per replication.
    public static func run(
        _ model: Model, _ options: Options, progress: (@Sendable (Int) -> Void)? = nil,
        perReplication: ((ReplicationRecord) -> Void)? = nil
    ) throws(EngineError) -> RunResult {
        let plan = Plan(model)
        let n = options.expected ? 1 : options.replications
        guard n >= 1, n <= RandomStream.maxReplications else { throw .tooManyReplications(n) }
        guard options.threads >= 1 else { throw .invalidThreads(options.threads) }
        let threads = min(options.threads, n)
        let collector = Collector(workers: threads)
        let delivery = perReplication.map { OrderedDelivery(window: 64 * threads, $0) }

        let work: @Sendable (Int) -> Void = { worker in
            let replication = Replication(plan: plan, expected: options.expected)
            var part = Part(plan: plan, expected: options.expected, replications: (n - worker + threads - 1) / threads)
            do throws(EngineError) {
                for i in stride(from: worker, to: n, by: threads) {
                    let record = try replication.run(replication: i, seed: options.seed)
                    delivery?.deliver(record)
                    part.append(record)
                    progress?(collector.finishedOne())
                }
                collector.store(.success(part), worker: worker)
            } catch {
                delivery?.stop()
                collector.store(.failure(error), worker: worker)
            }
        }
        if threads == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads, execute: work)
        }
        return try RunResult(plan: plan, expected: options.expected, replications: n, parts: collector.results())
    }

    /// The version of GSL linked in.
    public static var gslVersion: String { GSL.version }
}

/// The compact records of the replications run by one worker (replications w, w + T, ...).
struct Part: Sendable {
    var integers: [Int32] = []
    var reals: [Double] = []
    var targetValues: [Double] = []
    var firstMet: [Int32] = []
    let expected: Bool

    /// Room for `replications` records, reserved up front so the arrays never grow by doubling.
    init(plan: Plan, expected: Bool, replications: Int) {
        self.expected = expected
        let width = plan.countsPerReplication, targets = plan.model.targets.count
        if expected { reals.reserveCapacity(replications * width) } else { integers.reserveCapacity(replications * width) }
        targetValues.reserveCapacity(replications * targets)
        firstMet.reserveCapacity(replications * targets)
    }

    mutating func append(_ record: Replication.Record) {
        if expected {
            reals += record.counts
        } else {
            integers += record.counts.map { Int32($0) }
        }
        targetValues += record.targetValues
        firstMet += record.firstMet
    }
}

/// Gathers the workers' parts and counts finished replications.
private final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [Result<Part, EngineError>?]
    private var finished = 0

    init(workers: Int) { parts = Array(repeating: nil, count: workers) }

    func finishedOne() -> Int {
        lock.lock()
        defer { lock.unlock() }
        finished += 1
        return finished
    }

    func store(_ part: Result<Part, EngineError>, worker: Int) {
        lock.lock()
        defer { lock.unlock() }
        parts[worker] = part
    }

    func results() throws(EngineError) -> [Part] {
        lock.lock()
        defer { lock.unlock() }
        return try parts.map { (p) throws(EngineError) in try p!.get() }
    }
}

/// The compact record of every replication of a run, in replication order: headcounts by rank
/// × group at the report steps, flows by rank × group per year, and each target's measure at its
/// date and first step met. Summaries (quantiles, probabilities) are computed from this.
public struct RunResult: Sendable {
    public let plan: Plan
    public let expected: Bool
    public let replications: Int
    /// The workers' parts: replication `i` is record `i / parts.count` of part `i % parts.count`
    /// (kept as they are rather than copied into one array, to halve peak memory).
    private let parts: [Part]

    init(plan: Plan, expected: Bool, replications: Int, parts: [Part]) {
        self.plan = plan
        self.expected = expected
        self.replications = replications
        self.parts = parts
    }

    /// A recorded count of one replication (see `Plan.headcountIndex`, `Plan.flowIndex`).
    public func count(replication i: Int, _ index: Int) -> Double {
        let part = parts[i % parts.count]
        let offset = (i / parts.count) * plan.countsPerReplication + index
        return expected ? part.reals[offset] : Double(part.integers[offset])
    }

    /// A target's measure at its date in one replication (NaN when its denominator is empty).
    public func targetValue(replication i: Int, target: Int) -> Double {
        parts[i % parts.count].targetValues[(i / parts.count) * plan.model.targets.count + target]
    }

    /// The first step at which a target was met in one replication, nil if never.
    public func firstMet(replication i: Int, target: Int) -> Int? {
        let step = parts[i % parts.count].firstMet[(i / parts.count) * plan.model.targets.count + target]
        return step < 0 ? nil : Int(step)
    }
}
