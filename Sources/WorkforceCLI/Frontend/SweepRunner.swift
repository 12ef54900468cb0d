import ArgumentParser
import Foundation
import Workforce
import WorkforceAnalysis
import WorkforceResults
import WorkforceScenario

extension Frontend {
    /// What `workforce sweep` was asked to do.
    struct SweepRequest {
        /// The scenario file.
        var file: String
        /// The `--vary` parameters; when empty, the file's `sweep` section is swept.
        var vary: [SweepSpec.Parameter]
        /// `--samples`: a Latin hypercube of this many points (replaces the file's `samples`).
        var samples: Int?
        var shard: Shard?
        /// `--set` overrides, applied to every point before its own values.
        var overrides: [String]
        var engine: EngineOptions
        /// The folder the sweep's folder, `<stem>-sweep[-shard-i-of-n][-expected]`, is written
        /// into (as every command's `--out`); nil for `Results`.
        var out: String?
        var json: Bool
        /// `--probability` and `--error-rate`: stop each point once every target's verdict is
        /// settled; nil runs every replication.
        var probability: Double? = nil
        var errorRate = 0.01
    }

    /// Runs a sweep: checks every point still to compute, computes each (saving it to the work
    /// folder as soon as it is finished), then writes sweep.json, sweep.csv and manifest.json.
    /// Points finished by an interrupted run of the same sweep are kept, not recomputed.
    static func sweep(_ request: SweepRequest) throws {
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = Date()
        // The file is read and parsed once; every point applies its values to the parsed tree.
        let document = try loadPoint { () throws(ScenarioError) in try ScenarioLoader.document(path: request.file) }
        let base = try loadPoint { () throws(ScenarioError) in try document.load(overrides: request.overrides) }
        let spec = try sweepSpec(request, base)
        let threads = request.engine.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let options = Engine.Options(
            replications: request.engine.replications ?? base.model.timeline.replications,
            seed: request.engine.seed ?? base.model.timeline.seed, threads: threads, expected: request.engine.expected)
        let design: SweepDesign
        do {
            design = try SweepDesign(spec, seed: options.seed)
        } catch {
            throw CommandFailure(.runFailed, "sweep failed: \(error)")
        }
        let definition = {
            var definition = SweepDefinition(base, design, overrides: request.overrides, options: options)
            if let probability = request.probability, !options.expected {
                definition.probability = probability
                definition.errorRate = request.errorRate
            }
            return definition
        }()
        let key = definition.key
        // --out is the parent folder, as in every command: the sweep writes <out>/<stem>-sweep….
        let out = URL(fileURLWithPath: request.out ?? "Results").appendingPathComponent(folderName(base.stem, request.shard, expected: options.expected))
        try OutputOwnership.checkPaths(outputs: [(out.path, "--out")], inputs: [request.file])
        do {
            try OutputOwnership.check(out.path, owner: .sweep, writing: [SweepFiles.json, SweepFiles.csv, SweepFiles.manifest].contains)
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        let work = SweepFiles.workFolder(out, key: key)
        let mine = design.points.indices.filter { request.shard?.contains(point: $0) ?? true }

        let (computed, kept, points) = try { () throws(CommandFailure) in
            var finished = try SweepFiles.finished(in: out, key: key, design: design)
            let todo = mine.filter { finished[$0] == nil }
            try checkPoints(todo, request, design, base, document)
            let progress = Progress(scenarios: todo.map { "point \($0)" }, quiet: request.engine.quiet)
            for slot in todo.indices { progress.update(slot, done: 0, of: definition.replications) }
            for (slot, i) in todo.enumerated() {
                let scenario = try loadPoint(label: design.label(point: i)) { () throws(ScenarioError) in
                    try design.load(point: i, document, overrides: request.overrides)
                }
                // Only the targets' summaries are kept: no record of any replication.
                var targets = TargetAccumulator(plan: Plan(scenario.model))
                var point: SweepPoint
                do {
                    if let probability = definition.probability, let errorRate = definition.errorRate {
                        point = try settledPoint(i, &targets, options, probability: probability, errorRate: errorRate, design) { done in
                            progress.update(slot, done: done, of: definition.replications)
                        }
                    } else {
                        try Engine.run(targets.plan, options, into: &targets) { done in progress.update(slot, done: done, of: definition.replications) }
                        point = SweepPoint(point: i, values: design.points[i], targets.summaries)
                    }
                } catch {
                    throw CommandFailure(.runFailed, "\(design.label(point: i)): run failed: \(error)")
                }
                do {
                    finished[i] = try SweepFiles.save(point, key: key, in: work)
                } catch {
                    throw CommandFailure(.cannotWrite, "could not save \(design.label(point: i)) in \(work.path): \(error)")
                }
            }
            progress.finish()
            return (todo.count, mine.count - todo.count, mine.map { finished[$0]! })
        }()

        let file = SweepFile(
            key: key, definition: definition, targets: base.model.targets.map { TargetsFile.Definition($0, base.model) },
            shard: request.shard, points: points)
        let seconds = Self.seconds(clock.now - started)
        let manifest = SweepFiles.Manifest(
            command: .sweep, key: key, inputs: [request.file], shard: request.shard, computed: computed, kept: kept,
            threads: threads, started: ISO8601DateFormatter().string(from: startedAt), wallTimeSeconds: seconds)
        do {
            try SweepFiles.write(file, manifest: manifest, to: out)
            try? FileManager.default.removeItem(at: work)
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        let report = SweepReport(
            command: "sweep", file: file, output: out, computed: computed, kept: kept, seconds: seconds, inputs: [request.file])
        Terminal.print(request.json ? report.json : report.text)
    }

    /// A point of `sweep --probability`: replications 0, 1, 2, … in the batches of
    /// `SequentialRun.checkpoints` up to the cap (`options.replications`), stopped at the first
    /// batch end where every target's verdict against `probability` is settled at `errorRate`
    /// (`SequentialTest`; a target never defined is never settled). Replication `i` is the same
    /// in any batch, so points stay on common random numbers.
    private static func settledPoint(
        _ i: Int, _ targets: inout TargetAccumulator, _ options: Engine.Options, probability: Double, errorRate: Double,
        _ design: SweepDesign, progress: @escaping @Sendable (Int) -> Void
    ) throws(EngineError) -> SweepPoint {
        var decisions: [SequentialTest.Decision] = []
        let done = try SequentialRun.run(targets.plan, options, into: &targets, progress: progress) { targets in
            decisions = targets.plan.model.targets.indices.map { t in
                let (met, defined) = targets.count(target: t)
                var test = SequentialTest(level: probability, errorRate: errorRate)
                test.add(successes: met, trials: defined)
                return test.decision
            }
            return !decisions.contains(.undecided)
        }
        var point = SweepPoint(point: i, values: design.points[i], targets.summaries)
        point.replications = done
        for t in point.targets.indices { point.targets[t].decision = decisions[t] }
        return point
    }

    /// The folder a sweep writes by default.
    /// The sweep's folder's name, written into `--out` (default `Results`).
    static func folderName(_ stem: String, _ shard: Shard?, expected: Bool) -> String {
        "\(stem)-sweep" + (shard.map { "-shard-\($0.index)-of-\($0.count)" } ?? "") + (expected ? "-expected" : "")
    }

    /// The sweep asked for: the `--vary` parameters, or else the file's `sweep` section, with
    /// `--samples` in either case. A spec with problems is a usage error (exit 64).
    private static func sweepSpec(_ request: SweepRequest, _ base: LoadedScenario) throws -> SweepSpec {
        var spec: SweepSpec
        if !request.vary.isEmpty {
            spec = SweepSpec(parameters: request.vary, samples: request.samples)
        } else if let own = base.sweep {
            spec = own
            spec.samples = request.samples ?? own.samples
        } else {
            throw CommandFailure(.usage, "Error: nothing to sweep: \(request.file) has no sweep section; expected --vary path=from:to:step (or a sweep section in the file)")
        }
        let problems = spec.problems.map { problem in
            "Error: " + (problem.parameter.map { "\(spec.parameters[$0].path): " } ?? "") + problem.message
        }
        guard problems.isEmpty else {
            throw CommandFailure(.usage, problems.joined(separator: "\n"))
        }
        return spec
    }

    /// Reads or loads the swept scenario (`load`); its problems become a failure (exit 65), each
    /// line prefixed with the point's label, or (without a label) followed by their count.
    private static func loadPoint<T>(label: String? = nil, _ load: () throws(ScenarioError) -> T) throws(CommandFailure) -> T {
        do {
            return try load()
        } catch {
            var lines = error.diagnostics.map { (label.map { "\($0): " } ?? "") + $0.description }
            if label == nil {
                let n = error.diagnostics.count
                lines.append("\(n) problem\(n == 1 ? "" : "s") in the scenario; nothing was run.")
            }
            throw CommandFailure(.invalidInput, lines.joined(separator: "\n"))
        }
    }

    /// Checks every point still to compute before any runs: each must load (from the file as
    /// parsed once, so from the same bytes) with the same targets as the scenario. Reports the
    /// problems of up to 10 points.
    private static func checkPoints(
        _ todo: [Int], _ request: SweepRequest, _ design: SweepDesign, _ base: LoadedScenario, _ document: ScenarioDocument
    ) throws(CommandFailure) {
        var messages: [String] = []
        var failed = 0
        for i in todo {
            var message: String?
            do {
                let scenario = try loadPoint(label: design.label(point: i)) { () throws(ScenarioError) in
                    try design.load(point: i, document, overrides: request.overrides)
                }
                if scenario.model.targets.map(\.name) != base.model.targets.map(\.name) {
                    message = "\(design.label(point: i)): the targets' names differ from the scenario's; expected a sweep to change values only"
                }
            } catch {
                message = error.message
            }
            guard let message else { continue }
            failed += 1
            if failed <= 10 { messages.append(message) }
        }
        guard failed == 0 else {
            let more = failed > 10 ? "\n… and \(failed - 10) more points with problems" : ""
            throw CommandFailure(
                .invalidInput, messages.joined(separator: "\n") + more + "\n\(failed) of \(todo.count) points are invalid; nothing was run.")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let s = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return (s * 1000).rounded() / 1000
    }
}

/// What `sweep` and `merge` print: a few lines, or with `--json` the summary documented in
/// docs/sweeps.md (schema `workforce.sweep-run/1`).
struct SweepReport {
    var command: String
    var file: SweepFile
    var output: URL
    /// Points computed by this run and kept from an interrupted one (sweep), or 0 and the points
    /// merged (merge).
    var computed: Int
    var kept: Int
    var seconds: Double
    /// The scenario file (sweep) or the merged inputs (merge).
    var inputs: [String]

    var text: String {
        let d = file.definition
        let shard = file.shard.map { ", shard \($0) (\(file.points.count) points)" } ?? ""
        let runs = d.mode == .expectedValue ? "expected-value projection" : "\(d.replications) replications each, seed \(d.seed)"
        var out = "\(d.scenario): \(d.spec.summary)\(shard), \(runs)\n"
        out += command == "sweep"
            ? "  \(computed) computed, \(kept) kept from an earlier run, \(String(format: "%.2f", seconds)) s → \(Terminal.shown(output.path))\n"
            : "  \(file.points.count) points merged from \(inputs.count) folders → \(Terminal.shown(output.path))\n"
        if !file.targets.isEmpty, !file.points.isEmpty {
            let width = max(6, file.targets.map(\.name.count).max()!)
            out += "  " + "target".padding(toLength: width, withPad: " ", startingAt: 0) + "  P(met) over the points: lowest – highest\n"
            for (t, target) in file.targets.enumerated() {
                let p = file.points.map { $0.targets[t].probabilityMet }
                out += "  " + target.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  " + (p.min()! == p.max()! ? "\(Terminal.percent(p.min()!)) at every point"
                        : "\(Terminal.percent(p.min()!)) – \(Terminal.percent(p.max()!))") + "\n"
            }
        }
        return out
    }

    var json: String {
        struct Summary: Encodable {
            var schema = "workforce.sweep-run/1"
            var command: String
            var scenario: String
            var key: String
            var inputs: [String]
            var output: String
            var files: [String]
            var design: String
            var mode: RunManifest.Mode
            var seed: UInt64
            var replications: Int
            var points: Int
            var shard: Shard?
            var shardPoints: Int
            var computed: Int
            var kept: Int
            var wallTimeSeconds: Double
        }
        let d = file.definition
        let summary = Summary(
            command: command, scenario: d.scenario, key: file.key, inputs: inputs, output: output.path,
            files: [SweepFiles.csv, SweepFiles.json, SweepFiles.manifest].map { output.appendingPathComponent($0).path },
            design: d.design, mode: d.mode, seed: d.seed, replications: d.replications, points: d.points,
            shard: file.shard, shardPoints: file.points.count, computed: computed, kept: kept, wallTimeSeconds: seconds)
        return (try? ResultJSON.encode(summary)) ?? "{}\n"
    }
}
