import ArgumentParser
import Dispatch
import Foundation
import Workforce
import WorkforceReport
import WorkforceResults
import WorkforceAnalysis
import WorkforceScenario

/// What the subcommands do: scenario files → validated models → engine → summaries → writers.
enum Frontend {
    /// Loads and validates every scenario; on any problem prints all of them to stderr and
    /// fails with `CommandFailure.Kind.invalidInput` before anything runs.
    static func load(_ options: ScenarioOptions) throws -> [LoadedScenario] {
        try documents(options.paths, overrides: options.overrides, levers: options.levers).map(\.loaded)
    }

    /// Loads scenario files and folders with `--set` overrides and `--lever NAME=VALUE`
    /// settings (applied to each file's parsed tree in memory), as `load(_:)`.
    static func load(_ paths: [String], overrides: [String], levers: [String] = []) throws -> [LoadedScenario] {
        try documents(paths, overrides: overrides, levers: levers).map(\.loaded)
    }

    /// The one scenario file of a command that makes variants of it (solve): its document,
    /// parsed once, and the scenario loaded with `--set` (the `--lever`s are the command's own).
    static func document(_ options: ScenarioOptions, command: String) throws -> (document: ScenarioDocument, loaded: LoadedScenario) {
        let loaded = try documents(options.paths, overrides: options.overrides, levers: [])
        guard loaded.count == 1 else {
            throw CommandFailure(.invalidInput, "\(command) takes one scenario file; got \(loaded.count)")
        }
        return loaded[0]
    }

    /// Reads and parses each file once, and loads it with the overrides and lever settings.
    static func documents(
        _ paths: [String], overrides: [String], levers: [String]
    ) throws -> [(document: ScenarioDocument, loaded: LoadedScenario)] {
        var loaded: [(document: ScenarioDocument, loaded: LoadedScenario)] = []
        var problems: [Diagnostic] = []
        var settings: [LeverSetting] = []
        for text in levers {
            do {
                settings.append(try ScenarioDocument.leverSetting(text))
            } catch {
                problems += error.diagnostics
            }
        }
        let settingsRead = problems.isEmpty
        do {
            for file in try ScenarioLoader.scenarioFiles(paths) where settingsRead {
                do {
                    let document = try ScenarioLoader.document(path: file)
                    loaded.append((document, try document.load(overrides: overrides, settings: settings)))
                } catch {
                    problems += error.diagnostics
                }
            }
        } catch {
            problems += error.diagnostics
        }
        if loaded.isEmpty && problems.isEmpty {
            problems.append(Diagnostic(file: paths.joined(separator: " "), line: 0, column: 0, path: "", message: "no scenario files found; expected .yaml, .yml or .json files"))
        }
        guard problems.isEmpty else { throw invalid(problems) }
        for scenario in loaded {
            for warning in scenario.loaded.model.warnings { Terminal.error("\(scenario.loaded.file): warning: \(warning)") }
        }
        return loaded
    }

    /// Scenario problems as the failure every command reports them with (exit 65).
    static func invalid(_ problems: [Diagnostic]) -> CommandFailure {
        let files = Set(problems.map(\.file)).count
        return CommandFailure(.invalidInput, problems.map(\.description).joined(separator: "\n") + "\n\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s"); nothing was run.")
    }

    /// The bytes a run of `model` with `options` needs, estimated before it starts: the records
    /// in flight (the engine hands them to the summaries in replication order, holding at most
    /// 8 × threads), one replication's stock per thread, and, when `holdsRecords` (the paired
    /// analyses: compare, sensitivity, attribute, solve, backtest), every replication's record
    /// (`Plan.countsPerReplication` 32-bit counts, or doubles in expected-value mode, plus 12
    /// bytes per target). `run`, `validate` and `sweep` summarise as records arrive and hold none.
    static func memoryEstimate(_ model: Model, _ options: Engine.Options, holdsRecords: Bool) -> Double {
        let plan = Plan(model)
        let record = Double(plan.countsPerReplication) * (options.expected ? 8 : 4) + Double(model.targets.count) * 12
        let perThread = Double(model.dimensions.cellCount) * 8 * 4
        let held = holdsRecords ? Double(options.replications) : Double(min(options.replications, 8 * options.threads))
        return held * record + Double(options.threads) * perThread
    }

    /// Refuses a run whose memory estimate exceeds the machine's memory, before anything runs:
    /// exit 64 when `--replications` set the number, else 65 (the scenario's `replications`).
    static func checkMemory(_ model: Model, _ options: Engine.Options, holdsRecords: Bool, file: String, fromOption: Bool) throws {
        let needed = memoryEstimate(model, options, holdsRecords: holdsRecords)
        let available = Double(ProcessInfo.processInfo.physicalMemory)
        guard needed > available else { return }
        let gb = { (x: Double) in String(format: "%.1f GB", x / 1e9) }
        let most = max(1, Int((available / needed * Double(options.replications)).rounded(.down)))  // checked: at most replications
        throw CommandFailure(
            fromOption ? .usage : .invalidInput,
            "\(file): \(options.replications) replications need about \(gb(needed)) of memory; this machine has \(gb(available)). "
                + "Lower the replications (--replications \(most) or fewer).")
    }

    /// What a run will take, estimated before it starts from the scenario's size, the steps and
    /// the replications: per replication, `secondsPerCellStep` for each cell (rank × group ×
    /// year of service) at each step plus `secondsPerOfficerYear` for each officer at the start
    /// for each simulated year; replications spread over the threads. An estimate, not a bound:
    /// a force that grows (a large `fill` establishment) or turns over faster than the measured
    /// runs takes longer; the measured runs agree with it within a factor of about 3.
    struct TimeEstimate {
        /// Seconds of one thread per cell and step, measured (release build, one thread, 2 busy
        /// cores): Scenarios/example.yaml, 1,050 cells × 108 monthly steps, 100 replications in
        /// 0.08 s, 0.8 ms a replication, all of it counted as cell cost (an upper bound).
        static let secondsPerCellStep = 7e-9
        /// Seconds of one thread per officer at the start and simulated year, measured the same
        /// way: the example with 10^9 Constables (9 years monthly) took 17 s a replication,
        /// 1.9e-9 s an officer-year; a two-rank force of 10^7 officers with 10% leaving,
        /// refilled, 1.5e-8 (one year monthly) and of 10^8, 7e-9 (one yearly step). The cost
        /// follows the officers who leave, join and are promoted; 6e-9 is the geometric middle.
        static let secondsPerOfficerYear = 6e-9
        /// Runs estimated longer than this are refused unless `--allow-long-run`: an hour is
        /// longer than anyone waits at a terminal for an answer they did not know would take
        /// that long (the shipped scenarios take seconds; a 10^6-replication Met-scale run, about
        /// 1.5 h, is a deliberate choice and says so with the flag). Shard a sweep, or lower the
        /// replications, to stay under it.
        static let refusedAbove = 3600.0

        var perReplication: Double
        var seconds: Double
        var officers: Int
        var years: Double
        var cells: Int
        var steps: Int

        init(_ model: Model, _ options: Engine.Options) {
            officers = model.initial.reduce(0, +)
            steps = model.timeline.stepCount
            years = Double(steps * model.timeline.monthsPerStep) / 12
            cells = model.dimensions.cellCount
            // In expected-value mode nothing is drawn officer by officer: only the cells count.
            perReplication = Double(cells) * Double(steps) * Self.secondsPerCellStep + Double(officers) * years * (options.expected ? 0 : Self.secondsPerOfficerYear)
            let replications = options.expected ? 1 : options.replications
            seconds = perReplication * (Double(replications) / Double(min(options.threads, replications))).rounded(.up)
        }

        /// "7.5 h", "12 min", "40 s".
        static func words(_ seconds: Double) -> String {
            seconds >= 5400 ? String(format: "%.3g h", seconds / 3600) : seconds >= 90 ? String(format: "%.0f min", seconds / 60) : String(format: "%.0f s", seconds)
        }

        /// How the estimate was made, in words.
        var basis: String {
            "about \(Self.words(perReplication)) a replication: \(Figure(Double(officers)).count) officers × \(String(format: "%.3g", years)) years and \(Figure(Double(cells)).count) cells × \(steps) steps "
                + "at a cost measured on one thread"
        }
    }

    /// Says before a run starts how long and how much memory it will take when that is over a
    /// minute or a tenth of the machine's memory (on stderr, unless `quiet`); refuses (exit 64)
    /// a run estimated over `TimeEstimate.refusedAbove` unless `allowLong`.
    static func announce(_ model: Model, _ options: Engine.Options, file: String, quiet: Bool, allowLong: Bool) throws {
        let time = TimeEstimate(model, options)
        let bytes = memoryEstimate(model, options, holdsRecords: false)
        let replications = options.expected ? 1 : options.replications
        let memory = bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", max(1, bytes / 1e6))
        let what = "\(file): about \(TimeEstimate.words(time.seconds)) and \(memory) of memory for \(replications) "
            + "replication\(replications == 1 ? "" : "s") on \(min(options.threads, replications)) thread\(options.threads == 1 ? "" : "s") (\(time.basis))"
        if time.seconds > TimeEstimate.refusedAbove && !allowLong {
            let fits = max(1, Int((TimeEstimate.refusedAbove / time.perReplication).rounded(.down)) * min(options.threads, replications))  // checked: below the replications asked for
            throw CommandFailure(
                .usage, "\(what); that is over the \(TimeEstimate.words(TimeEstimate.refusedAbove)) a run may take without a word. "
                    + "Lower the replications (--replications \(min(fits, replications)) fits), or add --allow-long-run to go on.")
        }
        if !quiet && (time.seconds > 60 || bytes > Double(ProcessInfo.processInfo.physicalMemory) / 10) {
            Terminal.error("note: \(what)")
        }
    }

    /// Runs scenarios in parallel and writes their results, with each target's attainability
    /// bound unless `bounds` is false (`run --no-bounds`).
    static func run(_ scenarios: ScenarioOptions, _ engine: EngineOptions, _ output: OutputOptions, bounds: Bool = true) throws {
        let loaded = try load(scenarios)
        let threads = engine.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let folders = loaded.map { resultsFolder($0, out: output.out, expected: engine.expected) }
        try OutputOwnership.checkPaths(outputs: zip(loaded, folders).map { ($1, "the results of \($0.file)") }, inputs: loaded.map(\.file))
        for (scenario, folder) in zip(loaded, folders) {
            do {
                try OutputOwnership.check(folder, owner: .run, writing: ResultWriter.isRunOutput, keeping: { !ResultWriter.isRunOutput($0) })
            } catch {
                throw CommandFailure(.cannotWrite, "\(scenario.file): \(error)")
            }
        }
        for scenario in loaded {
            let options = Engine.Options(
                replications: engine.replications ?? scenario.model.timeline.replications, seed: 0, threads: threads, expected: engine.expected)
            try checkMemory(scenario.model, options, holdsRecords: false, file: scenario.file, fromOption: engine.replications != nil)
            try announce(scenario.model, options, file: scenario.file, quiet: engine.quiet, allowLong: engine.allowLongRun)
        }
        let progress = Progress(scenarios: loaded.map(\.stem), quiet: engine.quiet)
        // Every scenario's total from the start, so the first lines count all replications ("0/3", not "0/1").
        for (i, scenario) in loaded.enumerated() {
            progress.update(i, done: 0, of: engine.replications ?? scenario.model.timeline.replications)
        }
        let outcomes = OutcomeBox(count: loaded.count)
        // `--threads T` bounds the threads of the whole command: up to T scenarios at once, each
        // engine with an equal part of T (the engine starts its own workers, so scenarios run in
        // parallel with T engine threads each would put T² threads on T cores).
        let atOnce = min(threads, loaded.count)
        let engineThreads = max(1, threads / atOnce)
        let slots = DispatchSemaphore(value: atOnce)
        let runOne: @Sendable (Int) -> Void = { i in
            slots.wait()
            defer { slots.signal() }
            outcomes.set(i, runAndWrite(loaded[i], engine: engine, threads: engineThreads, output: output, bounds: bounds, progress: progress, index: i))
        }
        if atOnce > 1 {
            DispatchQueue.concurrentPerform(iterations: loaded.count, execute: runOne)
        } else {
            (0..<loaded.count).forEach(runOne)
        }
        progress.finish()

        var failures: [CommandFailure] = []
        var reports: [Terminal.ScenarioReport] = []
        for (scenario, outcome) in zip(loaded, outcomes.values) {
            switch outcome {
            case .success(let report):
                reports.append(report)
            case .failure(let error):
                failures.append(CommandFailure(error.kind, "\(scenario.file): \(error.message)"))
            }
        }
        if output.json {
            Terminal.print(Terminal.json(reports))
        } else {
            reports.forEach { Terminal.print(Terminal.text($0)) }
        }
        // Every scenario's failure is said, with the first one's exit code.
        if let first = failures.first { throw CommandFailure(first.kind, failures.map(\.message).joined(separator: "\n")) }
    }

    /// The folder a run of `scenario` writes: `<out>/<file name>` (`-expected` in expected-value mode).
    static func resultsFolder(_ scenario: LoadedScenario, out: String, expected: Bool) -> String {
        URL(fileURLWithPath: out).appendingPathComponent(scenario.stem + (expected ? "-expected" : "")).path
    }

    private static func runAndWrite(
        _ scenario: LoadedScenario, engine: EngineOptions, threads: Int, output: OutputOptions, bounds computeBounds: Bool,
        progress: Progress, index: Int
    ) -> Result<Terminal.ScenarioReport, CommandFailure> {
        let out = output.out
        var model = scenario.model
        if let replications = engine.replications { model.timeline.replications = replications }
        if let seed = engine.seed { model.timeline.seed = seed }
        let options = Engine.Options(
            replications: model.timeline.replications, seed: model.timeline.seed, threads: threads, expected: engine.expected)
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = Date()
        let folder = resultsFolder(scenario, out: out, expected: engine.expected)
        let replications: ReplicationWriter?
        do {
            replications = output.perReplication ? try ReplicationWriter(model: model, results: folder) : nil
        } catch {
            return .failure(CommandFailure(.cannotWrite, "\(error)"))
        }
        defer { replications?.discard() }
        let summary: Summary
        do {
            summary = try Engine.summarize(
                model, options, progress: { done in progress.update(index, done: done, of: options.replications) },
                perReplication: replications.map { writer in { writer.append($0) } })
            try replications?.finish()
        } catch let error as EngineError {
            return .failure(CommandFailure(.runFailed, "run failed: \(error)"))
        } catch {
            return .failure(CommandFailure(.cannotWrite, "\(error)"))
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        // Not in the wall time: the bounds are extra expected-value runs (one per distinct extreme).
        let bounds: [Attainability.Bound]
        do {
            bounds = computeBounds ? try Attainability.bounds(model, threads: threads) : []
        } catch {
            return .failure(CommandFailure(.runFailed, "attainability bounds failed: \(error)"))
        }
        let manifest = ResultWriter.manifest(
            scenario: scenario, options: options, wallTime: seconds, startedAt: startedAt)
        do {
            try ResultWriter.write(summary, model: model, bounds: bounds, manifest: manifest, to: folder, moving: replications?.written ?? [])
        } catch {
            return .failure(CommandFailure(.cannotWrite, "\(error)"))
        }
        return .success(Terminal.ScenarioReport(scenario: scenario, model: model, summary: summary, bounds: bounds, options: options, seconds: seconds, folder: folder))
    }
}

/// One result slot per scenario, each written once from its own concurrent iteration.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Terminal.ScenarioReport, CommandFailure>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<Terminal.ScenarioReport, CommandFailure>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }
    var values: [Result<Terminal.ScenarioReport, CommandFailure>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
