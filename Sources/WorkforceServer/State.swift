import Foundation
import WorkforceScenario

/// The folder's scenarios, each parsed once and loaded once per variant: a question about a
/// scenario already asked costs no parsing or validation (for the Met action plan, most of the
/// expected-value answer's time otherwise). A file changed on disk (another modification time
/// or size) is read again. Thread-safe.
final class ScenarioCache: @unchecked Sendable {
    let folder: String
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// Variants kept per scenario (the most recent), each a validated model (a few MB for the Met).
    static let variantsKept = 16

    init(folder: String) { self.folder = folder }

    /// The scenario files in the folder, by file name (`ScenarioLoader.scenarioFiles`).
    func listing() throws(WorkbenchError) -> [String] {
        do {
            return try ScenarioLoader.scenarioFiles([folder]).map { URL(fileURLWithPath: $0).lastPathComponent }
        } catch {
            throw WorkbenchError(.notFound, field: "", "the folder has no scenario files: \(error)", expected: "a folder of .yaml, .yml or .json scenarios")
        }
    }

    /// The entry of a scenario named by its file name, which must be in the folder's listing
    /// (so no path, `..` or hidden file can be named).
    func entry(_ file: String) throws(WorkbenchError) -> Entry {
        let files = try listing()
        guard files.contains(file) else {
            throw WorkbenchError(
                .notFound, field: "scenario", "no scenario file '\(file)' in the folder",
                expected: "one of: " + files.map { "'\($0)'" }.joined(separator: ", "))
        }
        let path = URL(fileURLWithPath: folder).appendingPathComponent(file).path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = "\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)/\((attributes?[.size] as? NSNumber)?.intValue ?? -1)"
        lock.lock()
        defer { lock.unlock() }
        if let entry = entries[file], entry.stamp == stamp { return entry }
        let document: ScenarioDocument
        do {
            document = try ScenarioLoader.document(path: path)
        } catch {
            throw WorkbenchError(.badRequest, field: "scenario", "'\(file)' cannot be read: \(error)", expected: "a readable scenario file")
        }
        let entry = Entry(document: document, stamp: stamp)
        entries[file] = entry
        return entry
    }

    /// One scenario: its parsed document and the variants loaded from it.
    final class Entry: @unchecked Sendable {
        let document: ScenarioDocument
        let stamp: String
        private let lock = NSLock()
        private var loaded: [[API.Setting]: LoadedScenario] = [:]
        private var order: [[API.Setting]] = []
        private var leverList: [API.Lever]?
        private var measureList: [API.Levers.Measure]?

        init(document: ScenarioDocument, stamp: String) {
            self.document = document
            self.stamp = stamp
        }

        func base() throws(WorkbenchError) -> LoadedScenario { try variant([]) }

        func levers() throws(WorkbenchError) -> [API.Lever] {
            lock.lock()
            defer { lock.unlock() }
            if let leverList { return leverList }
            do {
                let list = try Variants.levers(document)
                leverList = list
                return list
            } catch {
                throw WorkbenchError(.badRequest, field: "scenario", "the scenario's levers are invalid: \(error)", expected: "a valid levers section")
            }
        }

        /// The chartable measures, made by `make` the first time they are asked for.
        func measures(_ make: () throws(WorkbenchError) -> [API.Levers.Measure]) throws(WorkbenchError) -> [API.Levers.Measure] {
            lock.lock()
            if let measureList {
                lock.unlock()
                return measureList
            }
            lock.unlock()
            let list = try make()
            lock.lock()
            measureList = list
            lock.unlock()
            return list
        }

        /// The variant with `settings` (checked), loaded once; settings in any order are one variant.
        func variant(_ settings: [API.Setting]) throws(WorkbenchError) -> LoadedScenario {
            let key = settings.sorted { $0.lever < $1.lever }
            lock.lock()
            if let hit = loaded[key] {
                lock.unlock()
                return hit
            }
            lock.unlock()
            let scenario: LoadedScenario
            do {
                scenario = try Variants.load(document, settings: key)
            } catch {
                throw WorkbenchError(.badRequest, field: "settings", "the variant does not load: \(error)", expected: "settings the scenario accepts")
            }
            lock.lock()
            defer { lock.unlock() }
            if loaded[key] == nil {
                loaded[key] = scenario
                order.append(key)
                if order.count > ScenarioCache.variantsKept { loaded[order.removeFirst()] = nil }
            }
            return scenario
        }
    }
}

/// At most `count` runs at once, each on one engine thread. A run that finds none free waits up
/// to `wait` seconds, if fewer than `queue` runs are already waiting; otherwise, or once the
/// wait is over, it is refused (HTTP 429). Waiting polls every 10 ms (no thread is held).
package final class Slots: @unchecked Sendable {
    package let count: Int
    /// Runs that may wait for a slot: four per slot.
    package let queue: Int
    /// Seconds a run waits for a slot before it is refused.
    package static let wait = 2.0
    private let lock = NSLock()
    private var busy = 0
    private var waiting = 0

    init(count: Int) {
        self.count = count
        queue = 4 * count
    }

    package var inUse: Int {
        lock.lock()
        defer { lock.unlock() }
        return busy
    }

    private func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard busy < count else { return false }
        busy += 1
        return true
    }

    func acquire() async throws(WorkbenchError) {
        if take() { return }
        guard enqueue() else { throw Self.refused(count) }
        defer { dequeue() }
        let deadline = ContinuousClock.now + .milliseconds(Int(Self.wait * 1000))  // checked: 2000
        while ContinuousClock.now < deadline {
            if Task.isCancelled { throw .cancelled }
            try? await Task.sleep(for: .milliseconds(10))
            if take() { return }
        }
        throw Self.refused(count)
    }

    /// Joins the queue of waiting runs; false when it is full.
    private func enqueue() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard waiting < queue else { return false }
        waiting += 1
        return true
    }

    private func dequeue() {
        lock.lock()
        waiting -= 1
        lock.unlock()
    }

    func release() {
        lock.lock()
        busy -= 1
        lock.unlock()
    }

    static func refused(_ count: Int) -> WorkbenchError {
        WorkbenchError(
            .tooManyRequests, field: "", "all \(count) run slot\(count == 1 ? " is" : "s are") busy and the queue is full",
            expected: "a moment's wait before asking again (serve --threads sets the runs at once)")
    }
}

/// A flag a run checks between chunks of replications.
final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }
}

/// The runs in flight, by page session: a newer question on the same session cancels the
/// session's run, so a moved slider stops the engine even while the old response is still being
/// read; `stopAll` cancels every run (the server is stopping).
final class Sessions: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [String: Cancellation] = [:]
    private var all: [ObjectIdentifier: Cancellation] = [:]
    private var stopping = false

    func begin(_ session: String?) -> Cancellation {
        let flag = Cancellation()
        lock.lock()
        defer { lock.unlock() }
        if stopping { flag.cancel() }
        all[ObjectIdentifier(flag)] = flag
        guard let session else { return flag }
        running[session]?.cancel()
        running[session] = flag
        return flag
    }

    func end(_ session: String?, _ flag: Cancellation) {
        lock.lock()
        defer { lock.unlock() }
        all[ObjectIdentifier(flag)] = nil
        guard let session else { return }
        if running[session] === flag { running[session] = nil }
    }

    /// Cancels every run in flight and every run begun from now on.
    func stopAll() {
        lock.lock()
        defer { lock.unlock() }
        stopping = true
        for flag in all.values { flag.cancel() }
    }
}
