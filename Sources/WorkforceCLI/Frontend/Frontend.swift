import ArgumentParser
import Dispatch
import Foundation
import Workforce
import WorkforceResults
import WorkforceAnalysis
import WorkforceScenario

/// What the subcommands do: scenario files → validated models → engine → summaries → writers.
enum Frontend {
    /// Loads and validates every scenario; on any problem prints all of them to stderr and
    /// fails with `CommandFailure.Kind.invalidInput` before anything runs.
    static func load(_ options: ScenarioOptions) throws -> [LoadedScenario] {
        try load(options.paths, overrides: options.overrides)
    }

    /// Loads scenario files and folders with `--set` overrides, as `load(_:)`.
    static func load(_ paths: [String], overrides: [String]) throws -> [LoadedScenario] {
        var loaded: [LoadedScenario] = []
        var problems: [Diagnostic] = []
        do {
            for file in try ScenarioLoader.scenarioFiles(paths) {
                do {
                    loaded.append(try ScenarioLoader.load(path: file, overrides: overrides))
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
        guard problems.isEmpty else {
            let files = Set(problems.map(\.file)).count
            throw CommandFailure(.invalidInput, problems.map(\.description).joined(separator: "\n") + "\n\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s"); nothing was run.")
        }
        for scenario in loaded {
            for warning in scenario.model.warnings { Terminal.error("\(scenario.file): warning: \(warning)") }
        }
        return loaded
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
        }
        let progress = Progress(scenarios: loaded.map(\.stem), quiet: engine.quiet)
        // Every scenario's total from the start, so the first lines count all replications ("0/3", not "0/1").
        for (i, scenario) in loaded.enumerated() {
            progress.update(i, done: 0, of: engine.replications ?? scenario.model.timeline.replications)
        }
        let outcomes = OutcomeBox(count: loaded.count)
        let runOne: @Sendable (Int) -> Void = { i in
            outcomes.set(i, runAndWrite(loaded[i], engine: engine, threads: threads, output: output, bounds: bounds, progress: progress, index: i))
        }
        if threads > 1 && loaded.count > 1 {
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
