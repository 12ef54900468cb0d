import ArgumentParser
import Foundation
import Workforce
import WorkforceResults
import WorkforceAnalysis
import enum WorkforceReport.FrontierChart
import struct WorkforceReport.Chance
import struct WorkforceReport.Figure
import WorkforceScenario

/// What `compare`, `solve`, `sensitivity` and `attribute` do: run variants of scenarios on
/// common random numbers (the same seed and replications for every variant) and write their
/// differences. Each writes its own results folder, atomically.
enum Analysis {
    /// The engine options for a model, after command-line overrides.
    static func options(_ model: Model, _ engine: EngineOptions) -> Engine.Options {
        Engine.Options(
            replications: engine.replications ?? model.timeline.replications, seed: engine.seed ?? model.timeline.seed,
            threads: engine.threads ?? ProcessInfo.processInfo.activeProcessorCount, expected: engine.expected)
    }

    /// Runs a model, mapping an engine failure to exit code 70.
    static func run(_ model: Model, _ options: Engine.Options, progress: (@Sendable (Int) -> Void)? = nil) throws -> RunResult {
        try Frontend.checkMemory(model, options, holdsRecords: true, file: model.name, fromOption: options.replications != model.timeline.replications)
        do {
            return try Engine.run(model, options, progress: progress)
        } catch {
            throw CommandFailure(.runFailed, "run failed: \(error)")
        }
    }

    /// P(met) at one point of a solve or frontier: replications up to `options.replications` (the
    /// cap), stopped once the verdict against `level` is settled at `stopping`'s error rate
    /// (`SequentialRun`), keeping no record; an engine failure is exit code 70.
    static func assess(
        _ model: Model, _ options: Engine.Options, level: Double, stopping: Stopping, progress: (@Sendable (Int) -> Void)?,
        met: @escaping (ReplicationRecord) -> Bool?
    ) throws -> Assessment {
        try Frontend.checkMemory(model, options, holdsRecords: false, file: model.name, fromOption: options.replications != model.timeline.replications)
        do {
            return try SequentialRun.assess(Plan(model), options, level: level, errorRate: stopping.errorRate, progress: progress, met: met)
        } catch {
            throw CommandFailure(.runFailed, "run failed: \(error)")
        }
    }

    /// Writes `files` as the folder `<out>/<name>`, written by `owner`, mapping a failure to exit code 73.
    static func write(_ files: [(name: String, contents: String)], owner: OutputKind, out: String, name: String) throws -> String {
        let folder = URL(fileURLWithPath: out).appendingPathComponent(name).path
        do {
            try AtomicWriter.replaceFolder(folder, owner: owner, with: files)
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        return folder
    }

    /// Refuses before anything runs what `write` would refuse at the end: `<out>/<name>` in the
    /// way (`OutputOwnership`), so a long analysis does not run only to find it cannot write.
    static func checkFolder(_ files: [String], owner: OutputKind, out: String, name: String) throws {
        let folder = URL(fileURLWithPath: out).appendingPathComponent(name).path
        do {
            try OutputOwnership.check(folder, owner: owner, writing: { files.contains($0) })
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
    }

    /// A fixed-decimals number for CSV and text output ("NA" when undefined).
    static func n(_ x: Double, _ decimals: Int = 6) -> String { CSVWriter.number(x, decimals) }

    /// JSON numbers: nil for NaN.
    static func j(_ x: Double) -> Double? { x.isNaN ? nil : x }

    /// Reports progress over `total` replications in all (at most that many when the runs stop
    /// once settled: solve and frontier), on stderr (silenced by `--quiet`).
    final class Counter: @unchecked Sendable {
        private let progress: Progress
        private let lock = NSLock()
        /// Replications done by the finished runs, and by the current one.
        private var base = 0, current = 0
        private let total: Int

        init(task: String, runs: Int, replications: Int, quiet: Bool) {
            progress = Progress(scenarios: [task], quiet: quiet)
            total = runs * replications
        }

        /// The progress callback for the next run (the replications it has done so far).
        func next() -> @Sendable (Int) -> Void {
            lock.lock()
            base += current
            current = 0
            lock.unlock()
            return { [self] done in
                lock.lock()
                current = done
                let finished = base + done
                lock.unlock()
                progress.update(0, done: finished, of: total)
            }
        }

        func finish() { progress.finish() }
    }
}

// MARK: - compare

extension Analysis {
    static func compare(_ scenarios: ScenarioOptions, _ engine: EngineOptions, _ output: OutputOptions) throws {
        let loaded = try Frontend.load(scenarios)
        guard loaded.count >= 2 else {
            throw CommandFailure(.invalidInput, "compare needs at least two scenarios; got \(loaded.count)")
        }
        try checkFolder(["compare.csv", "compare.json"], owner: .compare, out: output.out, name: "compare-" + loaded.map(\.stem).joined(separator: "-vs-"))
        // Every scenario runs with the first one's seed and replications, so they are paired.
        let options = Analysis.options(loaded[0].model, engine)
        let counter = Counter(task: "compare", runs: loaded.count, replications: options.replications, quiet: engine.quiet)
        let runs = try loaded.map { try run($0.model, options, progress: counter.next()) }
        counter.finish()
        let differences = Comparison.compare(runs)
        let names = loaded.map(\.stem)

        let header = [
            "target", "baseline", "scenario", "baseline_probability", "probability", "probability_difference",
            "probability_difference_low", "probability_difference_high", "measure_difference_mean",
            "measure_difference_p5", "measure_difference_p50", "measure_difference_p95", "paired_sd", "independent_sd",
        ]
        let rows = differences.map { d -> [String] in
            let p = d.probabilityDifference, m = d.measureDifference
            return [
                d.target, names[0], names[d.scenario], n(d.baselineProbability, 4), n(d.probability, 4), n(p.mean, 4),
                n(p.meanInterval.lowerBound, 4), n(p.meanInterval.upperBound, 4), n(m.mean), n(m.p5), n(m.p50), n(m.p95),
                n(m.sd), n(m.independentSD),
            ]
        }
        let file = CompareFile(
            scenarios: names, seed: options.seed, replications: options.replications,
            comparisons: differences.map { d in
                let p = d.probabilityDifference, m = d.measureDifference
                return CompareFile.Entry(
                    target: d.target, baseline: names[0], scenario: names[d.scenario], baselineProbability: d.baselineProbability,
                    probability: d.probability,
                    probabilityDifference: CompareFile.Interval(
                        mean: j(p.mean), low: j(p.meanInterval.lowerBound), high: j(p.meanInterval.upperBound), standardError: j(p.standardError)),
                    measureDifference: CompareFile.Spread(
                        mean: j(m.mean), p5: j(m.p5), p50: j(m.p50), p95: j(m.p95), pairedSd: j(m.sd), independentSd: j(m.independentSD)))
            })
        let json = try ResultJSON.encode(file)
        let folder = try write(
            [("compare.csv", CSVWriter.table(header, rows)), ("compare.json", json)], owner: .compare, out: output.out,
            name: "compare-" + names.joined(separator: "-vs-"))
        if output.json {
            Terminal.print(json)
            return
        }
        var text = "compare: \(names.joined(separator: " vs ")), \(options.replications) paired replications, seed \(options.seed) → \(Terminal.shown(folder))\n"
        for d in differences {
            let p = d.probabilityDifference, m = d.measureDifference
            // Chances in %, their difference in percentage points (as the measure's), never a difference in %.
            text += "  \(d.target) [\(names[d.scenario]) − \(names[0])]: P(met) \(Terminal.percent(d.baselineProbability, 0)) → \(Terminal.percent(d.probability, 0))"
                + " (difference \(signedPoints(p.mean)) [\(signedPoints(p.meanInterval.lowerBound)), \(signedPoints(p.meanInterval.upperBound))]);"
                + " measure \(signedPoints(m.p50)) [\(signedPoints(m.p5)), \(signedPoints(m.p95))], paired sd \(points(m.sd)) vs \(points(m.independentSD)) unpaired\n"
        }
        Terminal.print(text)
    }

    /// A share difference in percentage points.
    static func signedPoints(_ x: Double) -> String { x.isNaN ? "n/a" : String(format: "%+.2f pt", x * 100) }
    static func points(_ x: Double) -> String { x.isNaN ? "n/a" : String(format: "%.2f pt", x * 100) }
}

// MARK: - solve

extension Analysis {
    static func solve(
        _ scenario: ScenarioOptions, target: String, vary: [String], lever: String? = nil, probability: Double, range: ClosedRange<Double>?,
        tolerance: Double?, stopping: Stopping, _ engine: EngineOptions, _ output: OutputOptions
    ) throws {
        // The file is read and parsed once; every trial value is applied to the parsed tree.
        let (document, base) = try Frontend.document(scenario, command: "solve")
        // What moves: a lever of the scenario, or the --vary paths set to one value together.
        let moved: MovedInput
        if let lever {
            moved = try MovedInput.resolve([lever], document, base)[0]
        } else {
            if let path = vary.first(where: { FieldPath($0) == nil }) {
                throw CommandFailure(.invalidInput, "--vary '\(path)': malformed path; expected a field path as --set writes it, e.g. leaving.rates.Constable[2]")
            }
            moved = MovedInput(paths: vary, lever: nil, frontier: Frontier.Lever(name: vary.joined(separator: "+"), range: 0...1, current: 0))
        }
        let vary = moved.paths
        try checkFolder(["solve.json"], owner: .solve, out: output.out, name: "\(base.stem)-solve")
        guard let t = base.model.targets.firstIndex(where: { $0.name == target }) else {
            throw CommandFailure(.invalidInput, "\(base.file): no target named '\(target)'; the targets are: \(base.model.targets.map { "'\($0.name)'" }.joined(separator: ", "))")
        }
        // The folder holds one question's answer: another target's (or inputs') is never replaced.
        struct Question: Decodable, Equatable { var target: String, vary: [String] }
        let earlier = URL(fileURLWithPath: output.out).appendingPathComponent("\(base.stem)-solve/solve.json").path
        if let data = FileManager.default.contents(atPath: earlier),
           let question = try? ResultJSON.decode(Question.self, String(decoding: data, as: UTF8.self), file: earlier),
           question != Question(target: target, vary: vary) {
            throw CommandFailure(
                .cannotWrite,
                "\(earlier) holds the solve of '\(question.target)' (varying \(question.vary.joined(separator: ", "))); "
                    + "not replaced: give this solve another --out")
        }
        // The default range: the lever's; or 0 to twice the current value, inside the parameter's valid range.
        let spec = base.model.parameters.first { $0.path == vary[0] }
        guard let range = range ?? (moved.lever != nil ? moved.frontier.range : nil) ?? spec.map({ s in
            let v = s.distribution.mean(in: s.range)
            return max(s.range.lowerBound, 0)...min(s.range.upperBound, max(2 * v, v + 1e-9))
        }) else {
            throw CommandFailure(.invalidInput, "\(base.file): \(vary[0]) is not a number in the scenario; give the range to search with --range a:b")
        }
        let tolerance = tolerance ?? (range.upperBound - range.lowerBound) / 1000
        let options = Analysis.options(base.model, engine)
        // checked: the bisection count is capped at 2000 (a width over tolerance of infinity would trap)
        let counter = Counter(task: "solve", runs: 2 + Int(min(2000, log2(max(2, (range.upperBound - range.lowerBound) / tolerance))).rounded(.up)), replications: options.expected ? 1 : options.replications, quiet: engine.quiet)
        let solution = try Solver.solve(range: range, probability: probability, tolerance: tolerance) { x -> Assessment in
            let variant = try MovedInput.variant(document, overrides: scenario.overrides, [(moved, x)])
            let target = variant.model.targets[t]
            return try assess(variant.model, options, level: probability, stopping: stopping, progress: counter.next()) { record in
                let value = record.targetValues[t]
                return value.isNaN ? nil : target.isMet(value)
            }
        }
        counter.finish()

        // Monte Carlo error of the answer: the standard error of P(met) there divided by the slope.
        let n = Double(options.expected ? 1 : options.replications)
        let pHat = solution.probabilityAtAnswer
        let mcError: Double? = options.expected ? 0 : solution.slope.map { solution.answer.standardError / abs($0) }
        // The inputs in words (labels); linked inputs with the same words are named once.
        var words: [String] = moved.lever.map { [$0.label] } ?? []
        for path in moved.lever == nil ? vary : [] {
            let name = base.model.parameters.first { $0.path == path }?.name ?? path
            if !words.contains(name) { words.append(name) }
        }
        var file = SolveFile(
            scenario: base.stem, target: target, vary: vary, inputs: words, probability: probability, range: [range.lowerBound, range.upperBound],
            tolerance: tolerance, seed: options.seed, replications: Int(n), mode: RunManifest.Mode(expected: options.expected),
            verdict: "", value: nil, bracket: nil, monteCarloError: mcError.flatMap { j($0) }, probabilityAtValue: pHat,
            increasing: solution.increasing,
            evaluations: zip(solution.evaluations, solution.assessments).map {
                SolveFile.Evaluation(
                    value: $0.value, probability: $0.probability, replications: $1.replications, decision: $1.decision, standardError: j($1.standardError))
            })
        file.stopping = stopping.kind
        file.errorRate = stopping.errorRate
        file.replicationsUsed = solution.assessments.reduce(0) { $0 + $1.replications }
        file.replicationsAtValue = solution.answer.replications
        file.standardErrorAtValue = j(solution.answer.standardError)
        let text: String
        let direction = solution.increasing ? "smallest" : "largest"
        // Several inputs move together: one common value, and the sentence says so.
        let varied = words.count > 1 ? "common value of " + words.joined(separator: " and ") : words.joined()
        switch solution.verdict {
        case .found(let value, let bracket):
            file.verdict = "found"
            file.value = value
            file.bracket = [bracket.lowerBound, bracket.upperBound]
            // To the digits its uncertainty supports (half the last bracket plus the Monte Carlo error), which is stated.
            let error = file.error
            text = "\(target): the \(direction) \(varied) with P(met) ≥ \(Terminal.percent(probability, 0)) is \(Figure(value, error: error).plain)"
                + " (±\(Figure(error, significant: 2).plain): half the last bisection step plus the Monte Carlo error; "
                + "P(met) there \(Chance(pHat, replications: solution.answer.replications)?.percent ?? Terminal.percent(pHat)))"
        case .metThroughout(let bound):
            file.verdict = "met-throughout-range"
            file.value = bound
            text = "\(target): met with P ≥ \(Terminal.percent(probability, 0)) across the whole range \(range.lowerBound)…\(range.upperBound) (P = \(Terminal.percent(pHat)) at \(bound))"
        case .notMet(let bound, let best):
            file.verdict = "not-met-within-range"
            text = "\(target): cannot be met with P ≥ \(Terminal.percent(probability, 0)) for \(varied) in \(range.lowerBound)…\(range.upperBound); the best is P = \(Terminal.percent(best)) at \(bound)"
        }
        let json = try ResultJSON.encode(file)
        let folder = try write([("solve.json", json)], owner: .solve, out: output.out, name: "\(base.stem)-solve")
        let effort = options.expected ? "" : "\n  \(file.replicationsUsed ?? 0) replications over \(solution.evaluations.count) trial values"
            + " (at most \(file.replications) each\(stopping.errorRate.map { ", each stopped once its verdict was settled at error rate \($0)" } ?? "")); \(file.replicationsAtValue ?? 0) at the answer"
        Terminal.print(output.json ? json : text + effort + "\n  → \(Terminal.shown(folder))")
    }
}

// MARK: - solve --lever: the frontier

extension Analysis {
    static func frontier(
        _ scenario: ScenarioOptions, targets names: [String], levers texts: [String],
        probability: Double, slices: Int?, tolerance: Double?, stopping: Stopping, _ engine: EngineOptions, _ output: OutputOptions
    ) throws {
        // The file is read and parsed once; every evaluation is applied to the parsed tree.
        let (document, base) = try Frontend.document(scenario, command: "solve")
        try checkFolder(["frontier.json", "frontier.csv", "frontier.svg"], owner: .solve, out: output.out, name: "\(base.stem)-frontier")
        let model = base.model
        var problems: [String] = []
        let targets = names.compactMap { name -> Int? in
            guard let t = model.targets.firstIndex(where: { $0.name == name }) else {
                problems.append("\(base.file): no target named '\(name)'; the targets are: \(model.targets.map { "'\($0.name)'" }.joined(separator: ", "))")
                return nil
            }
            return t
        }
        // The targets' and the levers' problems are reported together.
        var parsed: [MovedInput] = []
        do {
            parsed = try MovedInput.resolve(texts, document, base)
        } catch let failure as CommandFailure where failure.kind == .invalidInput {
            problems.append(failure.message)
        }
        guard problems.isEmpty else {
            throw CommandFailure(.invalidInput, problems.joined(separator: "\n"))
        }
        var moved: [String: String] = [:]
        for (text, input) in zip(texts, parsed) {
            for path in input.paths {
                if let other = moved.updateValue(text, forKey: path) {
                    throw CommandFailure(.usage, "--lever '\(text)' moves \(path), which --lever '\(other)' moves too; expected each field in one lever (join fields with + to move them together).")
                }
            }
        }
        let levers = parsed.map(\.frontier)
        let slices = slices ?? (levers.count == 2 ? 9 : 5)
        let last = levers[levers.count - 1]
        let tolerance = tolerance ?? (last.range.upperBound - last.range.lowerBound) / 200
        let options = Analysis.options(model, engine)
        let n = options.expected ? 1 : options.replications
        let perSlice = 2 + Int(log2(max(2, (last.range.upperBound - last.range.lowerBound) / tolerance)).rounded(.up))  // checked: log2 of a finite ratio ≥ 2 of a validated range to a positive tolerance: below 1100
        let gridPoints = Int(pow(Double(slices), Double(levers.count - 1)))  // checked: slices and levers are small validated option values
        let counter = Counter(task: "frontier", runs: gridPoints * perSlice, replications: n, quiet: engine.quiet)
        let result = try Frontier.search(levers: levers, probability: probability, slices: slices, tolerance: tolerance) { x -> Assessment in
            let variant = try MovedInput.variant(document, overrides: scenario.overrides, Array(zip(parsed, x)))
            let goals = targets.map { variant.model.targets[$0] }
            // A replication meets them all when every measure is defined and met (undefined counts as not met).
            return try assess(variant.model, options, level: probability, stopping: stopping, progress: counter.next()) { record in
                zip(targets, goals).allSatisfy { t, goal in
                    let value = record.targetValues[t]
                    return !value.isNaN && goal.isMet(value)
                }
            }
        }
        counter.finish()

        let entries = result.points.map { p in
            FrontierFile.Point(
                levers: p.levers, found: p.kind, bracket: p.bracket.map { [$0.lowerBound, $0.upperBound] }, probability: p.probability,
                increasing: p.increasing, monteCarloError: p.monteCarloError.flatMap { j($0) }, leastChange: p.leastChange, cost: p.cost,
                replications: p.replications, replicationsAtAnswer: p.answer.replications, decision: p.answer.decision,
                standardError: j(p.answer.standardError))
        }
        var file = FrontierFile(
            scenario: base.stem, targets: names, probability: probability, seed: options.seed, replications: n,
            mode: RunManifest.Mode(expected: options.expected),
            method: "P(every target met) on common random numbers; the first \(levers.count - 1) lever(s) on a grid of \(slices) values each (ends included), the last bisected at each grid point"
                + (stopping.errorRate.map { "; each evaluation stopped once its verdict against the probability was settled at error rate \($0) (docs/analysis.md), up to the replications" } ?? ""),
            precision: "last lever: the bisection bracket (at most the tolerance) plus the Monte Carlo error sqrt(P(1-P)/n)/|slope| of each point (n the replications run at its answer); other levers: the grid spacing (the frontier is interpolated linearly between grid points, and the least-change combination is the best grid point)",
            slices: slices, tolerance: tolerance, evaluations: result.evaluations,
            levers: zip(parsed, levers).enumerated().map { k, pl in
                FrontierFile.Lever(
                    name: pl.1.name, paths: pl.0.paths, range: [pl.1.range.lowerBound, pl.1.range.upperBound], current: pl.1.current,
                    cost: pl.1.cost, grid: k < levers.count - 1 ? Frontier.grid(pl.1, slices: slices) : nil)
            },
            points: entries, cheapest: result.cheapest.map { entries[$0] }, tradeOffs: Frontier.tradeOffs(result))
        file.stopping = stopping.kind
        file.errorRate = stopping.errorRate
        file.replicationsUsed = result.replications
        let json = try ResultJSON.encode(file)
        var files: [(name: String, contents: String)] = [("frontier.json", json), ("frontier.csv", file.csv)]
        if let frontier = FrontierChart.Frontier(file) {
            files.append(("frontier.svg", frontier.chart(id: "frontier").svg + "\n"))
        }
        let folder = try write(files, owner: .solve, out: output.out, name: "\(base.stem)-frontier")
        if output.json {
            Terminal.print(json)
            return
        }
        var text = "frontier of \(base.stem): every one of \(names.map { "'\($0)'" }.joined(separator: ", ")) met with P ≥ \(Terminal.percent(probability, 0)), "
            + "\(result.evaluations) runs of at most \(n) paired replications (\(result.replications) in all"
            + "\(stopping.errorRate.map { ", each run stopped once its verdict was settled at error rate \($0)" } ?? "")) → \(Terminal.shown(folder))\n"
        for p in result.points {
            let where_ = zip(levers.dropLast(), p.levers).map { "\($0.name) = \(String(format: "%.4g", $1))" }.joined(separator: ", ")
            let answer: String
            switch p.kind {
            case .boundary:
                let mc = p.monteCarloError.map { $0 > 0 ? String(format: " ± %.2g", $0) : "" } ?? ""
                answer = "\(last.name) \(p.increasing ? "≥" : "≤") \(String(format: "%.4g", p.levers.last!))\(mc)"
            case .metThroughout: answer = "met across the whole range of \(last.name)"
            case .notMet: answer = "not met anywhere in the range (best P = \(Terminal.percent(p.probability)))"
            }
            text += "  \(where_.isEmpty ? "" : where_ + ": ")\(answer)\n"
        }
        if let c = result.cheapest, let values = result.points[c].leastChange {
            text += "  least weighted change: " + zip(levers, values).map { "\($0.name) \(String(format: "%.4g", $0.current)) → \(String(format: "%.4g", $1))" }.joined(separator: ", ")
                + " (cost \(String(format: "%.4g", result.points[c].cost ?? .nan)))\n"
        } else {
            text += "  no combination in the ranges meets every target with that probability\n"
        }
        Terminal.print(text)
    }
}

// MARK: - sensitivity

extension Analysis {
    static func sensitivity(
        _ scenario: ScenarioOptions, method: Sensitivity.Method, change: Double, only: [String], _ engine: EngineOptions,
        _ output: OutputOptions
    ) throws {
        let loaded = try Frontend.load(scenario)
        guard loaded.count == 1, let base = loaded.first else {
            throw CommandFailure(.invalidInput, "sensitivity takes one scenario file; got \(loaded.count)")
        }
        try checkFolder(["sensitivity.csv", "sensitivity.json"], owner: .sensitivity, out: output.out, name: "\(base.stem)-sensitivity")
        let model = base.model
        let indices = Sensitivity.candidates(model, matching: only)
        guard !indices.isEmpty else {
            throw CommandFailure(.invalidInput, "\(base.file): no inputs match \(only.joined(separator: ", ")); inputs are named by their field paths, e.g. \(model.parameters.first?.path ?? "leaving.rates")")
        }
        let options = Analysis.options(model, engine)
        let counter = Counter(task: "sensitivity", runs: 1 + 2 * indices.count, replications: options.expected ? 1 : options.replications, quiet: engine.quiet)
        let baseline = try run(model, options, progress: counter.next())
        var effects: [Sensitivity.Effect] = []
        for i in indices {
            let v = Sensitivity.variants(of: model, parameter: i, method: method, change: change)
            let low = try run(v.low, options, progress: counter.next())
            let high = try run(v.high, options, progress: counter.next())
            effects += Sensitivity.effects(parameter: model.parameters[i].path, lowValue: v.lowValue, highValue: v.highValue, baseline: baseline, low: low, high: high)
        }
        counter.finish()
        // Rank within each target by swing, largest first (ties by parameter order).
        var ranked: [(rank: Int, effect: Sensitivity.Effect)] = []
        for target in model.targets.map(\.name) {
            let sorted = effects.enumerated().filter { $0.element.target == target }
                .sorted { (Self.rankable($0.element.swing), -$0.offset) > (Self.rankable($1.element.swing), -$1.offset) }
            ranked += sorted.enumerated().map { ($0.offset + 1, $0.element.element) }
        }
        // Each input in words (the scenario's `labels:`, else made from its place in the model).
        let label = Dictionary(model.parameters.map { ($0.path, $0.name) }, uniquingKeysWith: { a, _ in a })
        let file = SensitivityFile(
            scenario: base.stem, method: method.rawValue, change: change, seed: options.seed, replications: options.expected ? 1 : options.replications,
            effects: ranked.map { r, e in
                SensitivityFile.Effect(
                    target: e.target, rank: r, parameter: e.parameter, label: label[e.parameter] ?? e.parameter, lowValue: e.lowValue, highValue: e.highValue,
                    baselineMean: j(e.baseline), lowEffect: j(e.low.mean), highEffect: j(e.high.mean), swing: j(e.swing), lowProbability: j(e.lowProbability),
                    highProbability: j(e.highProbability))
            })
        for e in effects {
            let undefined = [("low", e.lowValue, e.lowProbability), ("high", e.highValue, e.highProbability)].filter { $0.2.isNaN }
            for (side, value, _) in undefined {
                Terminal.error("note: '\(e.target)' is undefined in every replication with \(label[e.parameter] ?? e.parameter) \(side) "
                    + "(\(String(format: "%.6g", value))): its P(met) and effect there are NA")
            }
        }
        let json = try ResultJSON.encode(file)
        let folder = try write([("sensitivity.csv", file.csv), ("sensitivity.json", json)], owner: .sensitivity, out: output.out, name: "\(base.stem)-sensitivity")
        if output.json {
            Terminal.print(json)
            return
        }
        var text = "sensitivity of \(base.stem): \(indices.count) inputs × 2 (\(method == .relative ? "±\(Int((change * 100).rounded()))%" : "5th/95th percentiles")), \(options.replications) paired replications → \(Terminal.shown(folder))\n"
        for target in model.targets.map(\.name) {
            text += "  \(target): largest swings\n"
            for (r, e) in ranked where e.target == target && r <= 5 {
                text += "    \(r). \(label[e.parameter] ?? e.parameter): \(signedPoints(e.low.mean)) / \(signedPoints(e.high.mean))\n"
            }
        }
        Terminal.print(text)
    }
}

extension Analysis {
    /// A swing as sensitivity ranks it: an undefined one (NaN) below every defined one.
    static func rankable(_ swing: Double) -> Double { swing.isNaN ? -.infinity : swing }
}

// MARK: - attribute

extension Analysis {
    static func attribute(_ scenario: ScenarioOptions, targets names: [String], _ engine: EngineOptions, _ output: OutputOptions) throws {
        let loaded = try Frontend.load(scenario)
        guard loaded.count == 1, let base = loaded.first else {
            throw CommandFailure(.invalidInput, "attribute takes one scenario file; got \(loaded.count)")
        }
        try checkFolder(["attribution.csv", "attribution.json"], owner: .attribute, out: output.out, name: "\(base.stem)-attribution")
        let model = base.model
        let officerTargets = model.targets.indices.filter { model.targets[$0].population == .officers }
        let chosen = names.isEmpty ? officerTargets : try names.map { name -> Int in
            guard let t = model.targets.firstIndex(where: { $0.name == name }), model.targets[t].population == .officers else {
                throw CommandFailure(.invalidInput, "\(base.file): no officer target named '\(name)' (attribution splits the change in a share of officers)")
            }
            return t
        }
        guard !chosen.isEmpty else {
            throw CommandFailure(.invalidInput, "\(base.file): no officer targets to attribute")
        }
        let options = Analysis.options(model, engine)
        let reps = options.expected ? 1 : options.replications
        let flows = Attribution.flows(in: model)
        let counter = Counter(task: "attribute", runs: 1 << flows.count, replications: reps, quiet: engine.quiet)
        let runs = try Attribution.combinations(of: flows).map { try run(Attribution.model(model, actual: $0), options, progress: counter.next()) }
        counter.finish()

        var entries: [AttributionFile.Target] = []
        for t in chosen {
            let start = model.targets[t].initialShare(in: model)
            let g = runs.map { $0.targetValues(t) }
            let parts = (0..<reps).map { i in Attribution.Parts(g: g.map { $0[i] }, start: start) }
            func summary(_ values: [Double]) -> (Double, Double, Double) {
                var v = values.filter { !$0.isNaN }
                let q = Quantiles(&v)
                return (q.mean, q.p5, q.p95)
            }
            var components: [AttributionFile.Component] = []
            for (k, flow) in flows.enumerated() {
                let s = summary(parts.map { $0.shapley[k] }), o = summary(parts.map { $0.oneAtATime[k] })
                components.append(AttributionFile.Component(component: flow.attribution ?? flow.name, shapleyMean: j(s.0), shapleyP5: j(s.1), shapleyP95: j(s.2), oneAtATimeMean: j(o.0)))
            }
            let inter = summary(parts.map(\.interaction)), structure = summary(parts.map(\.structure)), total = summary(parts.map(\.total))
            components.append(AttributionFile.Component(component: "interaction", shapleyMean: nil, shapleyP5: nil, shapleyP95: nil, oneAtATimeMean: j(inter.0)))
            components.append(AttributionFile.Component(component: "structure", shapleyMean: j(structure.0), shapleyP5: j(structure.1), shapleyP95: j(structure.2), oneAtATimeMean: j(structure.0)))
            components.append(AttributionFile.Component(component: "total", shapleyMean: j(total.0), shapleyP5: j(total.1), shapleyP95: j(total.2), oneAtATimeMean: j(total.0)))
            let name = model.targets[t].name
            entries.append(AttributionFile.Target(target: name, start: j(start), endMean: j(start + total.0), components: components))
        }
        let file = AttributionFile(scenario: base.stem, seed: options.seed, replications: reps, targets: entries)
        let json = try ResultJSON.encode(file)
        let folder = try write([("attribution.csv", file.csv), ("attribution.json", json)], owner: .attribute, out: output.out, name: "\(base.stem)-attribution")
        if output.json {
            Terminal.print(json)
            return
        }
        var text = "attribution of \(base.stem): change from \(model.timeline.start) to each target's date, \(reps) paired replications → \(Terminal.shown(folder))\n"
        for e in entries {
            text += "  \(e.target): \(Terminal.percent(e.start ?? .nan)) → \(Terminal.percent(e.endMean ?? .nan))\n"
            // The Shapley parts and structure add up to the total; the one-at-a-time interaction
            // is in the files only, as it is not a part of that sum.
            for c in e.components where c.shapleyMean != nil {
                text += "    \(c.component.padding(toLength: 12, withPad: " ", startingAt: 0)) \(signedPoints(c.shapleyMean ?? .nan))\n"
            }
        }
        Terminal.print(text)
    }
}
