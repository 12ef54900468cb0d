import Foundation
import Workforce
import WorkforceAnalysis
import WorkforceReport
import WorkforceResults
import WorkforceScenario

/// The what-if workbench without its HTTP: scenarios of one folder, their levers, answers
/// (expected-value at once, Monte Carlo in batches until settled), "what would it take", saving
/// a variant and its board report. Typed values in, typed values out; `Server` puts them on HTTP.
///
/// Every answer is the engine's, on the scenario's own seed: after `n` replications the numbers
/// are those of `workforce run --replications n` on the variant saved as a file. Each run holds
/// one of `Configuration.threads` slots and one engine thread (`Slots`), so concurrent runs never
/// put more threads than that on the cores; results are bit-identical whatever the thread count.
package final class Workbench: Sendable {
    /// What the command line gives the workbench: the folder and the pieces of the tool that
    /// write (there is one atomic writer, one manifest and one report builder, in WorkforceCLI).
    package struct Configuration: Sendable {
        /// The scenario folder; only the scenario files listed in it can be named.
        package var folder: String
        /// Runs at once (each on one engine thread); the rest wait up to `Slots.wait` or get 429.
        package var threads: Int
        /// A run's manifest (`ResultWriter.manifest`): scenario, options, wall seconds, start.
        package var manifest: @Sendable (LoadedScenario, Engine.Options, Double, Date) -> RunManifest
        /// A run's report files (`ReportFrontend.scenarioFiles`): report.html, summary.html, …
        package var reportFiles: @Sendable (RunResults, Model) throws -> [(name: String, contents: String)]
        /// Writes a new file all at once or not at all (`AtomicWriter.replaceFiles`).
        package var writeFile: @Sendable (String, Data) throws -> Void

        package init(
            folder: String, threads: Int, manifest: @escaping @Sendable (LoadedScenario, Engine.Options, Double, Date) -> RunManifest,
            reportFiles: @escaping @Sendable (RunResults, Model) throws -> [(name: String, contents: String)],
            writeFile: @escaping @Sendable (String, Data) throws -> Void
        ) {
            (self.folder, self.threads, self.manifest, self.reportFiles, self.writeFile) = (folder, max(1, threads), manifest, reportFiles, writeFile)
        }
    }

    /// The error rate of a settled status: each aim's side of 33% and of 67% is decided by a
    /// sequential test (`SequentialTest`) whose settled decisions are wrong with at most this chance.
    package static let errorRate = 0.01
    /// Replications run between two checks for cancellation: a moved slider stops the engine
    /// within one chunk (for the Met, about a tenth of a second on one thread).
    static let chunk = 10

    package let configuration: Configuration
    let cache: ScenarioCache
    package let slots: Slots
    let sessions = Sessions()
    private let saving = NSLock()

    package init(_ configuration: Configuration) {
        self.configuration = configuration
        cache = ScenarioCache(folder: configuration.folder)
        slots = Slots(count: configuration.threads)
    }

    /// Cancels every run in flight and every run asked for from now on (the server is stopping):
    /// each stops at its next chunk of replications.
    package func stopRuns() { sessions.stopAll() }

    // MARK: Questions

    /// The folder's scenario files, each with its name (or why it does not load).
    package func scenarios() throws(WorkbenchError) -> API.Scenarios {
        let files = try cache.listing()
        return API.Scenarios(folder: configuration.folder, scenarios: files.map { file in
            do {
                return .init(file: file, name: try cache.entry(file).base().model.name, problem: nil)
            } catch {
                return .init(file: file, name: nil, problem: "\(error)")
            }
        })
    }

    /// A scenario's levers, aims and chartable measures (the measures from one expected-value
    /// projection of the scenario as written, made once per file and kept).
    package func levers(_ file: String) throws(WorkbenchError) -> API.Levers {
        let entry = try cache.entry(file)
        let base = try entry.base()
        let levers = try entry.levers()
        let measures = try entry.measures { () throws(WorkbenchError) in
            Panel.measures(try expectedResults(base, seconds: 0)).map { API.Levers.Measure(id: $0.id, title: $0.title) }
        }
        return API.Levers(
            scenario: file, name: base.model.name, levers: levers, aims: base.model.targets.map(\.name), measures: measures,
            replications: base.model.timeline.replications, seed: base.model.timeline.seed)
    }

    /// The expected-value projection of a variant: the first answer, in well under a second.
    package func expected(_ q: API.Question) async throws(WorkbenchError) -> API.Answer {
        let loaded = try variant(q.scenario, q.settings ?? [])
        try await slots.acquire()
        defer { slots.release() }
        let clock = ContinuousClock(), started = clock.now
        return try await offload { () throws(WorkbenchError) -> API.Answer in
            let results = try self.expectedResults(loaded, seconds: 0)
            return Self.answer(results, measure: q.measure, cap: 1, settled: true, done: true, seconds: Self.seconds(clock.now - started))
        }
    }

    /// Starts a Monte Carlo run of a variant: checks the question, cancels the session's run in
    /// flight and takes a run slot (or refuses with 429), so every refusal comes before a
    /// response starts. `Run.stream` then runs it.
    package func start(_ q: API.Question) async throws(WorkbenchError) -> Run {
        let loaded = try variant(q.scenario, q.settings ?? [])
        let cap = try Self.replications(q.replications, loaded.model)
        try Self.checkSession(q.session)
        let cancel = sessions.begin(q.session)
        do {
            try await slots.acquire()
        } catch {
            sessions.end(q.session, cancel)
            throw error
        }
        return Run(workbench: self, question: q, loaded: loaded, cap: cap, cancel: cancel)
    }

    /// A started run: holds its slot until `stream` ends (or it is dropped unstreamed).
    package final class Run: @unchecked Sendable {
        let workbench: Workbench
        let question: API.Question
        let loaded: LoadedScenario
        let cap: Int
        let cancel: Cancellation
        private let lock = NSLock()
        private var finished = false

        init(workbench: Workbench, question: API.Question, loaded: LoadedScenario, cap: Int, cancel: Cancellation) {
            (self.workbench, self.question, self.loaded, self.cap, self.cancel) = (workbench, question, loaded, cap, cancel)
        }

        deinit { finish() }

        private func finish() {
            lock.lock()
            defer { lock.unlock() }
            guard !finished else { return }
            finished = true
            workbench.slots.release()
            workbench.sessions.end(question.session, cancel)
        }

        /// Runs replications in batches, each answer handed to `emit`, until every aim's status is
        /// settled or the cap: the batch ends of `SequentialRun.checkpoints` (40, 60, 90, …), run
        /// in chunks of `Workbench.chunk`. Stops with `WorkbenchError.cancelled` between chunks
        /// once the session asks a newer question, the task is cancelled or `emit` throws (the
        /// client went away). Then releases the slot.
        package func stream(emit: (API.Answer) async throws -> Void) async throws(WorkbenchError) {
            defer { finish() }
            let model = loaded.model, loaded = self.loaded, q = question, cap = self.cap, workbench = self.workbench
            let plan = Plan(model)
            let sink = StreamSink(plan: plan)
            let clock = ContinuousClock()
            var computing = Duration.zero
            var done = 0
            for end in SequentialRun.checkpoints(cap: cap) {
                while done < end {
                    if cancel.isCancelled || Task.isCancelled { throw .cancelled }
                    let options = Engine.Options(
                        replications: min(Workbench.chunk, end - done), seed: model.timeline.seed, threads: 1, first: done)
                    let started = clock.now
                    try await offload { () throws(WorkbenchError) in
                        do throws(EngineError) {
                            try Engine.run(plan, options, into: &sink.value)
                        } catch {
                            throw WorkbenchError(.failed, field: "", "the run failed: \(error)", expected: "a scenario the engine can run")
                        }
                    }
                    computing += clock.now - started
                    done += options.replications
                }
                let started = clock.now
                let settled = sink.settled
                let last = settled || end == cap
                let answer = try await offload { () throws(WorkbenchError) -> API.Answer in
                    let summary = sink.value.summary.finish()
                    let options = Engine.Options(replications: end, seed: model.timeline.seed, threads: 1)
                    let results = try workbench.results(loaded, summary, options, seconds: 0)
                    return Workbench.answer(results, measure: q.measure, cap: cap, settled: settled, done: last, seconds: 0)
                }
                computing += clock.now - started
                var timed = answer
                timed.seconds = Workbench.seconds(computing)
                do {
                    try await emit(timed)
                } catch {
                    throw .cancelled
                }
                if last { return }
            }
        }
    }

    /// A session is an opaque token of at most 64 letters, digits and dashes.
    static func checkSession(_ session: String?) throws(WorkbenchError) {
        guard let session else { return }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        guard !session.isEmpty, session.count <= 64, session.allSatisfy(allowed.contains) else {
            throw WorkbenchError(.badRequest, field: "session", "'\(session.prefix(80))' is not a session token", expected: "1 to 64 letters, digits or dashes")
        }
    }

    /// What value of one lever meets one aim with at least the probability asked: bisection over
    /// the lever's range to its step (`Solver`), each trial value stopping once its verdict is
    /// settled (`SequentialRun`, error rate `errorRate`) or at the cap, on common random numbers.
    package func solve(_ s: API.Solve) async throws(WorkbenchError) -> API.SolveAnswer {
        let entry = try cache.entry(s.scenario)
        let levers = try entry.levers()
        let settings = s.settings ?? []
        try Self.check(settings, levers)
        guard let lever = levers.first(where: { $0.name == s.lever }) else {
            throw WorkbenchError(.badRequest, field: "lever", "no lever named '\(s.lever)'", expected: "one of: \(Self.names(levers))")
        }
        let base = try variant(s.scenario, settings)
        guard let t = base.model.targets.firstIndex(where: { $0.name == s.aim }) else {
            throw WorkbenchError(.badRequest, field: "aim", "no aim named '\(s.aim)'", expected: "one of: " + base.model.targets.map { "'\($0.name)'" }.joined(separator: ", "))
        }
        let probability = s.probability ?? 0.8
        guard probability > 0 && probability < 1 else {
            throw WorkbenchError(.badRequest, field: "probability", "\(probability) is not a chance strictly between 0 and 1", expected: "a number such as 0.8")
        }
        let cap = try Self.replications(s.replications, base.model)
        try Self.checkSession(s.session)
        let cancel = sessions.begin(s.session)
        defer { sessions.end(s.session, cancel) }
        try await slots.acquire()
        defer { slots.release() }
        let clock = ContinuousClock(), started = clock.now
        let seed = base.model.timeline.seed
        let solution = try await offload { () throws(WorkbenchError) -> Solver.Solution in
            do {
                return try Solver.solve(range: lever.min...lever.max, probability: probability, tolerance: lever.step) { x -> Assessment in
                    if cancel.isCancelled { throw WorkbenchError.cancelled }
                    let moved = settings.filter { $0.lever != lever.name } + [API.Setting(lever: lever.name, value: x)]
                    let model = try self.variant(s.scenario, moved).model
                    let target = model.targets[t]
                    return try SequentialRun.assess(
                        Plan(model), Engine.Options(replications: cap, seed: seed, threads: 1), level: probability, errorRate: Self.errorRate
                    ) { record in
                        let value = record.targetValues[t]
                        return value.isNaN ? nil : target.isMet(value)
                    }
                }
            } catch let error as WorkbenchError {
                throw error
            } catch {
                throw WorkbenchError(.failed, field: "", "the solve failed: \(error)", expected: "a scenario the engine can run")
            }
        }
        let file = Self.solveFile(solution, scenario: base.stem, aim: s.aim, lever: lever, probability: probability, cap: cap, seed: seed)
        return API.SolveAnswer(
            verdict: file.verdict, value: file.value, error: file.error, words: Panel.whatItTakes(file),
            evaluations: solution.evaluations.count, replicationsUsed: file.replicationsUsed ?? 0, seconds: Self.seconds(clock.now - started))
    }

    /// Saves the variant as a new scenario file `name` in the folder: never replaces a file;
    /// the text is checked to load before it is written.
    package func save(_ s: API.Save) throws(WorkbenchError) -> API.Saved {
        try Self.checkName(s.name)
        let entry = try cache.entry(s.scenario)
        let settings = s.settings ?? []
        try Self.check(settings, try entry.levers())
        let text: String
        do {
            text = try Variants.text(entry.document, settings: settings)
            _ = try ScenarioLoader.parse(text: text, file: s.name, directory: configuration.folder)
        } catch {
            throw WorkbenchError(.failed, field: "", "the variant's scenario text does not load: \(error)", expected: "a valid scenario")
        }
        let path = URL(fileURLWithPath: configuration.folder).appendingPathComponent(s.name).path
        saving.lock()
        defer { saving.unlock() }
        if FileManager.default.fileExists(atPath: path) || (try? cache.listing().contains(s.name)) == true {
            throw WorkbenchError(.conflict, field: "name", "'\(s.name)' is already in the folder", expected: "a new name (the workbench never replaces a file)")
        }
        do {
            try configuration.writeFile(path, Data(text.utf8))
        } catch {
            throw WorkbenchError(.failed, field: "name", "cannot write \(s.name): \(error)", expected: "a folder the workbench can write to")
        }
        return API.Saved(file: s.name, command: "workforce run \(path)")
    }

    /// A variant's board report (`summary.html` or `report.html`, as `workforce run` writes it)
    /// from `replications` replications (default: the scenario's own).
    package func report(_ q: API.Question, file: String) async throws(WorkbenchError) -> String {
        guard ["summary.html", "report.html"].contains(file) else {
            throw WorkbenchError(.badRequest, field: "file", "'\(file)' is not a report file", expected: "summary.html or report.html")
        }
        let loaded = try variant(q.scenario, q.settings ?? [])
        let n = try Self.replications(q.replications, loaded.model)
        try await slots.acquire()
        defer { slots.release() }
        return try await offload { () throws(WorkbenchError) -> String in
            let options = Engine.Options(replications: n, seed: loaded.model.timeline.seed, threads: 1)
            do {
                let summary = try Engine.summarize(loaded.model, options)
                let run = self.runResults(loaded, summary, options, seconds: 0)
                let files = try self.configuration.reportFiles(run, loaded.model)
                guard let page = files.first(where: { $0.name == file }) else { throw WorkbenchError(.failed, field: "", "no \(file) in the report", expected: "the report module's files") }
                return page.contents
            } catch let error as WorkbenchError {
                throw error
            } catch {
                throw WorkbenchError(.failed, field: "", "the report failed: \(error)", expected: "a scenario the engine can run")
            }
        }
    }

    // MARK: Pieces

    /// The variant's model, after checking every setting against the scenario's levers.
    func variant(_ file: String, _ settings: [API.Setting]) throws(WorkbenchError) -> LoadedScenario {
        let entry = try cache.entry(file)
        try Self.check(settings, try entry.levers())
        return try entry.variant(settings)
    }

    /// Each setting names a lever once, with a finite value in its range.
    static func check(_ settings: [API.Setting], _ levers: [API.Lever]) throws(WorkbenchError) {
        var seen = Set<String>()
        for (i, s) in settings.enumerated() {
            guard let lever = levers.first(where: { $0.name == s.lever }) else {
                throw WorkbenchError(.badRequest, field: "settings[\(i)].lever", "no lever named '\(s.lever)'", expected: "one of: \(names(levers))")
            }
            guard seen.insert(s.lever).inserted else {
                throw WorkbenchError(.badRequest, field: "settings[\(i)].lever", "'\(s.lever)' is set twice", expected: "each lever at most once")
            }
            guard s.value.isFinite, s.value >= lever.min, s.value <= lever.max else {
                throw WorkbenchError(
                    .badRequest, field: "settings[\(i)].value", "\(s.value) is outside the range of '\(lever.name)'",
                    expected: "a number from \(lever.min) to \(lever.max)")
            }
        }
    }

    static func names(_ levers: [API.Lever]) -> String {
        levers.isEmpty ? "(the scenario has no levers)" : levers.map { "'\($0.name)'" }.joined(separator: ", ")
    }

    /// A new file's name: letters, digits, `.`, `_`, `-`, ending `.yaml`, not starting with a dot.
    static func checkName(_ name: String) throws(WorkbenchError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 100, name.allSatisfy(allowed.contains), name.hasSuffix(".yaml"), !name.hasPrefix("."), name.count > 5 else {
            throw WorkbenchError(
                .badRequest, field: "name", "'\(name)' is not a file name the workbench writes",
                expected: "letters, digits, '.', '_' or '-' only, not starting with '.', ending '.yaml' (at most 100 characters)")
        }
    }

    /// The replications asked for, checked: 1 to the scenario's own.
    static func replications(_ asked: Int?, _ model: Model) throws(WorkbenchError) -> Int {
        let most = model.timeline.replications
        guard let asked else { return most }
        guard asked >= 1 && asked <= most else {
            throw WorkbenchError(.badRequest, field: "replications", "\(asked) is outside 1 to \(most)", expected: "at most the scenario's own replications (\(most))")
        }
        return asked
    }

    /// The typed results of a summary, as `workforce run` would write them (no attainability bounds).
    func runResults(_ loaded: LoadedScenario, _ summary: Summary, _ options: Engine.Options, seconds: Double) -> RunResults {
        RunResults(
            manifest: configuration.manifest(loaded, options, seconds, Date()), projections: summary.projections, flows: summary.flows,
            targets: TargetsFile(summary, loaded.model), bases: summary.bases.map(\.excluded))
    }

    func results(_ loaded: LoadedScenario, _ summary: Summary, _ options: Engine.Options, seconds: Double) throws(WorkbenchError) -> ScenarioResults {
        do {
            return try ScenarioResults(runResults(loaded, summary, options, seconds: seconds))
        } catch {
            throw WorkbenchError(.failed, field: "", "the results cannot be shown: \(error)", expected: "a run with projections")
        }
    }

    func expectedResults(_ loaded: LoadedScenario, seconds: Double) throws(WorkbenchError) -> ScenarioResults {
        let options = Engine.Options(replications: 1, seed: loaded.model.timeline.seed, threads: 1, expected: true)
        do {
            return try results(loaded, Engine.summarize(loaded.model, options), options, seconds: seconds)
        } catch let error as WorkbenchError {
            throw error
        } catch {
            throw WorkbenchError(.failed, field: "", "the projection failed: \(error)", expected: "a scenario the engine can run")
        }
    }

    static func answer(_ r: ScenarioResults, measure: String?, cap: Int, settled: Bool, done: Bool, seconds: Double) -> API.Answer {
        let chart = Panel.chart(r, measure: measure)
        let expected = r.manifest.mode == .expectedValue
        return API.Answer(
            mode: expected ? "expected" : "monte-carlo", replications: r.manifest.replications, cap: cap, seed: r.manifest.seed,
            settled: settled, done: done, aims: Panel.aims(r), chart: chart?.svg, measure: chart?.id,
            aimSummaries: r.targets.indices.map { i in
                let t = r.targets[i]
                let chance = expected ? nil : Chance(t.probabilityMet, replications: r.manifest.replications)
                return API.Answer.Aim(
                    name: t.name, status: Panel.status(r, aim: i)?.rawValue, chance: t.probabilityMet.flatMap { $0.isFinite ? $0 : nil },
                    standardError: chance?.standardError, median: t.value.p50 ?? .nan)
            },
            seconds: seconds)
    }

    static func solveFile(_ solution: Solver.Solution, scenario: String, aim: String, lever: API.Lever, probability: Double, cap: Int, seed: UInt64) -> SolveFile {
        let mcError = solution.slope.map { solution.answer.standardError / abs($0) }
        var file = SolveFile(
            scenario: scenario, target: aim, vary: [lever.name], inputs: [lever.label], probability: probability, range: [lever.min, lever.max],
            tolerance: lever.step, seed: seed, replications: cap, mode: .monteCarlo, verdict: "", value: nil, bracket: nil,
            monteCarloError: mcError.flatMap { $0.isFinite ? $0 : nil }, probabilityAtValue: solution.probabilityAtAnswer, increasing: solution.increasing,
            evaluations: zip(solution.evaluations, solution.assessments).map {
                SolveFile.Evaluation(value: $0.value, probability: $0.probability, replications: $1.replications, decision: $1.decision, standardError: $1.standardError)
            })
        file.stopping = .settled
        file.errorRate = errorRate
        file.replicationsUsed = solution.assessments.reduce(0) { $0 + $1.replications }
        file.replicationsAtValue = solution.answer.replications
        file.standardErrorAtValue = solution.answer.standardError
        switch solution.verdict {
        case .found(let value, let bracket):
            file.verdict = "found"
            file.value = value
            file.bracket = [bracket.lowerBound, bracket.upperBound]
        case .metThroughout:
            file.verdict = "met-throughout-range"
        case .notMet:
            file.verdict = "not-met-within-range"
        }
        return file
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Runs blocking work (the engine) on a thread of its own, off Swift's cooperative pool, whose
/// few threads must stay free to serve requests. Cost: one thread start (tens of microseconds).
func offload<T: Sendable>(_ work: @escaping @Sendable () throws(WorkbenchError) -> T) async throws(WorkbenchError) -> T {
    let result: Result<T, WorkbenchError> = await withCheckedContinuation { continuation in
        let thread = Thread {
            do throws(WorkbenchError) {
                continuation.resume(returning: .success(try work()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    return try result.get()
}

/// A run's summary and its aims' counts, filled one chunk at a time by one thread at a time.
final class StreamSink: @unchecked Sendable {
    struct Both: ReplicationSink {
        var summary: SummaryAccumulator
        var targets: TargetAccumulator
        mutating func consume(_ record: ReplicationRecord) {
            summary.consume(record)
            targets.consume(record)
        }
    }
    var value: Both

    init(plan: Plan) {
        value = Both(summary: SummaryAccumulator(plan: plan, expected: false), targets: TargetAccumulator(plan: plan))
    }

    /// Every aim's status is settled: its chance is decided above 67% (green), below 33% (red),
    /// or between them (amber), each side by a sequential test at `Workbench.errorRate`; an aim
    /// no replication defines yet counts as settled.
    var settled: Bool {
        (0..<value.targets.plan.model.targets.count).allSatisfy { t in
            let (met, defined) = value.targets.count(target: t)
            guard defined > 0 else { return true }
            var low = SequentialTest(level: 0.33, errorRate: Workbench.errorRate), high = SequentialTest(level: 0.67, errorRate: Workbench.errorRate)
            low.add(successes: met, trials: defined)
            high.add(successes: met, trials: defined)
            return high.decision == .atLeast || low.decision == .below || (low.decision == .atLeast && high.decision == .below)
        }
    }
}
