import Workforce

/// P(met) at one point of a search (a solve's trial value, a frontier's combination), with the
/// replications it took and whether its verdict against the probability asked is settled.
package struct Assessment: Sendable, Hashable {
    /// The share of replications meeting the target(s), among those where it is defined.
    package var probability: Double
    /// The verdict the search uses: P(met) ≥ the probability asked. When `decision` is settled
    /// it is the decision's; otherwise (the cap reached first, or a fixed number of
    /// replications) it is `probability ≥` the level.
    package var meets: Bool
    /// Replications run at this point (replications 0 ..< this, on common random numbers).
    package var replications: Int
    /// What the sequential test settled (`.undecided` when the cap came first or no test ran).
    package var decision: SequentialTest.Decision
    /// The standard error of `probability`, `√(p(1 − p)/n)` over the n replications where it is
    /// defined; 0 in expected-value mode.
    package var standardError: Double

    package init(probability: Double, meets: Bool, replications: Int, decision: SequentialTest.Decision, standardError: Double) {
        self.probability = probability
        self.meets = meets
        self.replications = replications
        self.decision = decision
        self.standardError = standardError
    }

    /// A probability from a fixed number of replications: the verdict is `probability ≥ level`.
    package init(probability: Double, level: Double, replications: Int) {
        let n = Double(max(replications, 1))
        self.init(
            probability: probability, meets: probability >= level, replications: replications, decision: .undecided,
            standardError: replications <= 1 ? 0 : (probability * (1 - probability) / n).squareRoot())
    }
}

/// Runs a point's replications in growing batches and stops as soon as its verdict against the
/// probability asked is settled (`SequentialTest`), or at the cap: the replications go where the
/// answer is close.
///
/// Batch ends (`checkpoints`): 40 replications, then each 1.5 times the last (rounded up), to the
/// cap, so a point uses at most 1.5 times the replications it needed, and a point that runs to
/// the cap is checked about `1 + log(cap / 40) / log 1.5` times (11 times for 2,000). Replication `i`
/// is the same whichever batch runs it (`Engine.Options.first`), so every point's replication
/// `i` reads the same random numbers: common random numbers are kept.
package enum SequentialRun {
    /// The replications after which a point is checked, the last being `cap`.
    package static func checkpoints(cap: Int) -> [Int] {
        var ends: [Int] = []
        var n = min(40, cap)
        while true {
            ends.append(n)
            guard n < cap else { return ends }
            n = min(cap, Int((Double(n) * 1.5).rounded(.up)))  // checked: 1.5 × n with n < cap ≤ Int32.max fits Int
        }
    }

    /// Counts, per replication, whether the target(s) were met (`met` returns nil where the
    /// measure is undefined: left out, as P(met) leaves it out).
    private struct Count: ReplicationSink {
        let met: (ReplicationRecord) -> Bool?
        var successes = 0, trials = 0

        mutating func consume(_ record: ReplicationRecord) {
            guard let m = met(record) else { return }
            trials += 1
            if m { successes += 1 }
        }

        /// P(met) so far (NaN before any defined replication).
        var probability: Double { trials == 0 ? .nan : Double(successes) / Double(trials) }

        /// Its standard error, `√(p̂(1 − p̂)/n)` (NaN before any defined replication).
        var standardError: Double { trials == 0 ? .nan : (probability * (1 - probability) / Double(trials)).squareRoot() }
    }

    /// P(met) at one point of `plan`: up to `options.replications` replications (the cap), stopped
    /// at the first checkpoint where the verdict against `level` is settled at `errorRate`; with
    /// `errorRate` nil, every replication up to the cap (no stopping). Expected-value mode runs
    /// its one projection. `progress` receives the replications done at this point so far.
    package static func assess(
        _ plan: Plan, _ options: Engine.Options, level: Double, errorRate: Double?,
        progress: (@Sendable (Int) -> Void)? = nil, met: @escaping (ReplicationRecord) -> Bool?
    ) throws(EngineError) -> Assessment {
        if options.expected {
            var count = Count(met: met)
            try Engine.run(plan, options, into: &count, progress: progress)
            let p = count.probability
            return Assessment(probability: p, meets: p >= level, replications: 1, decision: .undecided, standardError: 0)
        }
        guard let errorRate else {
            var count = Count(met: met)
            try Engine.run(plan, options, into: &count, progress: progress)
            let p = count.probability
            return Assessment(probability: p, meets: p >= level, replications: options.replications, decision: .undecided, standardError: count.standardError)
        }
        var count = Count(met: met)
        var decision = SequentialTest.Decision.undecided
        let done = try run(plan, options, into: &count, progress: progress) { count in
            var test = SequentialTest(level: level, errorRate: errorRate)
            test.add(successes: count.successes, trials: count.trials)
            decision = test.decision
            return decision != .undecided
        }
        let p = count.probability
        return Assessment(
            probability: p, meets: decision == .undecided ? p >= level : decision == .atLeast, replications: done,
            decision: decision, standardError: count.standardError)
    }

    /// Runs replications 0, 1, 2, … of `plan` into `sink` in the batches of `checkpoints(cap:)`
    /// (the cap `options.replications`), stopping at the first batch end where `settled(sink)`.
    /// Returns the replications run. `progress` receives the replications done so far.
    package static func run<Sink: ReplicationSink>(
        _ plan: Plan, _ options: Engine.Options, into sink: inout Sink, progress: (@Sendable (Int) -> Void)? = nil,
        until settled: (Sink) -> Bool
    ) throws(EngineError) -> Int {
        var done = 0
        for end in checkpoints(cap: options.replications) {
            var batch = options
            batch.first = done
            batch.replications = end - done
            let base = done
            var offset: (@Sendable (Int) -> Void)?
            if let progress { offset = { progress(base + $0) } }
            try Engine.run(plan, batch, into: &sink, progress: offset)
            done = end
            if settled(sink) { break }
        }
        return done
    }

}

/// How a solve's or a frontier's points spend their replications.
package struct Stopping: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable, Codable {
        /// Each point stops once its verdict is settled at the error rate, or at the cap.
        case settled
        /// Each point runs every replication (the cap).
        case everyReplication = "every-replication"
    }

    package var kind: Kind
    private var rate: Double

    /// Stop each point once settled: a settled verdict is wrong with probability at most
    /// `errorRate`, in (0, 1).
    package static func settled(errorRate: Double) -> Stopping { Stopping(kind: .settled, rate: errorRate) }
    /// Run every replication at every point (no test).
    package static let everyReplication = Stopping(kind: .everyReplication, rate: 0)

    /// The error rate of a settled verdict; nil when every point runs every replication.
    package var errorRate: Double? { kind == .settled ? rate : nil }
}
