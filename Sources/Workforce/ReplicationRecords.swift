import Foundation

/// What one replication leaves behind: its compact record (see `Plan.headcountIndex`,
/// `Plan.flowIndex` for the layout of `counts`).
public struct ReplicationRecord: Sendable {
    /// The replication's number, 0-based.
    public var replication: Int
    /// `Plan.countsPerReplication` values: headcounts at report steps, then yearly flows.
    public var counts: [Double]
    /// Each target's measure at its date (NaN when its denominator is zero).
    public var targetValues: [Double]
    /// The step from which each target was first met and kept met (docs/engine.md, "First met"),
    /// or -1 if never.
    public var firstMet: [Int32]
}

/// Hands records from many workers to one consumer in replication order, as they complete:
/// a record waits only for its predecessors, and a worker more than `window` replications ahead
/// of the next one due waits, so at most `window` records are held at once.
final class OrderedDelivery: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0
    private var pending: [Int: ReplicationRecord] = [:]
    private var stopped = false
    private let window: Int
    private let consume: (ReplicationRecord) -> Void

    init(window: Int, _ consume: @escaping (ReplicationRecord) -> Void) {
        self.window = max(1, window)
        self.consume = consume
    }

    /// Queues `record`, then hands over every record now due, in order (on the caller's thread,
    /// one at a time).
    func deliver(_ record: ReplicationRecord) {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && record.replication - next >= window { condition.wait() }
        guard !stopped else { return }
        pending[record.replication] = record
        while let due = pending.removeValue(forKey: next) {
            consume(due)
            next += 1
        }
        condition.broadcast()
    }

    /// Releases every waiting worker (a worker failed, so some record will never come).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
