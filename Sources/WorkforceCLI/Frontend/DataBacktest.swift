import WorkforceFormats
import ArgumentParser
import Foundation
import Workforce
import WorkforceResults
import WorkforceData
import WorkforceScenario

extension DataFrontend {
    /// Runs each scenario to the last observed date, compares every observed figure with its
    /// projection, writes `<out>/<scenario>/backtest.csv` and `backtest.json` (each atomically) and
    /// prints the comparison.
    static func backtest(_ scenarios: ScenarioOptions, _ engine: EngineOptions, _ output: OutputOptions, observed: String) throws {
        let loaded = try Frontend.load(scenarios)
        let text = try reporting { () throws(DataError) in try read(observed) }
        let prepared = try reporting { () throws(DataError) in
            try loaded.map { (scenario) throws(DataError) in
                let observations = try Observation.read(text, file: observed, scenario.model.dimensions)
                var model = try Backtest.model(scenario.model, observations: observations, file: observed)
                if let replications = engine.replications { model.timeline.replications = replications }
                if let seed = engine.seed { model.timeline.seed = seed }
                return (scenario, model, observations)
            }
        }
        for (scenario, _, _) in prepared {
            let folder = URL(fileURLWithPath: output.out).appendingPathComponent(scenario.stem).path
            try OutputOwnership.checkPaths(outputs: [(folder, "--out")], inputs: [scenario.file, observed])
            do {
                try OutputOwnership.checkAdding(to: folder, kind: .run, command: "backtest")
            } catch {
                throw CommandFailure(.cannotWrite, "\(scenario.file): \(error)")
            }
        }
        let threads = engine.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var reports: [BacktestFile] = []
        for (scenario, model, observations) in prepared {
            let options = Engine.Options(model, threads: threads)
            let progress = Progress(scenarios: [scenario.stem], quiet: engine.quiet)
            let result: RunResult
            do {
                result = try Engine.run(model, options) { progress.update(0, done: $0, of: options.replications) }
            } catch {
                progress.finish()
                throw CommandFailure(.runFailed, "\(scenario.file): run failed: \(error)")
            }
            progress.finish()
            let file = BacktestFile(
                scenario: scenario, model: model, observedFile: observed, observations: observations,
                comparisons: Backtest.compare(result, observations: observations))
            let folder = URL(fileURLWithPath: output.out).appendingPathComponent(scenario.stem)
            try write([(folder.appendingPathComponent("backtest.csv").path, file.csv),
                       (folder.appendingPathComponent("backtest.json").path, try ResultJSON.encode(file))])
            reports.append(file)
            if !output.json { Terminal.print(file.text(folder: folder.path)) }
        }
        if output.json { Terminal.print(try ResultJSON.encode(reports)) }
    }
}

/// A backtest's results: backtest.json (schema `workforce.backtest/1`), and the CSV and text
/// made from the same values.
struct BacktestFile: Encodable {
    var schema = "workforce.backtest/1"
    var scenario: String
    var file: String
    var sha256: String
    var observedFile: String
    var start: String
    var horizon: String
    var replications: Int
    var seed: UInt64
    var rows: [Row]
    var coverage: CoverageSummary

    struct Row: Encodable {
        var date: String
        var measure: String
        var source: String
        var observed: Double
        var projected: TargetsFile.Stats
        var in50: Bool
        var in90: Bool
        var error: Double?
        var pit: Double?

        enum CodingKeys: String, CodingKey {
            case date, measure, source, observed, projected, error, pit
            case in50 = "in_50", in90 = "in_90"
        }

        /// An observed figure and its projection.
        init(_ o: Observation, _ c: Backtest.Comparison) {
            func defined(_ x: Double) -> Double? { x.isNaN ? nil : x }
            (date, measure, source, observed) = (o.date.description, o.measure.text, o.source, o.value)
            (projected, in50, in90, error, pit) = (.init(c.projected), c.in50, c.in90, defined(c.error), defined(c.pit))
        }
    }

    struct CoverageSummary: Encodable {
        var observations: Int
        var in50: Int
        var in90: Int
        var rate50: Double?
        var rate90: Double?
        var nominal50 = 0.5
        var nominal90 = 0.9

        enum CodingKeys: String, CodingKey {
            case observations
            case in50 = "in_50", in90 = "in_90", rate50 = "rate_50", rate90 = "rate_90"
            case nominal50 = "nominal_50", nominal90 = "nominal_90"
        }
    }

    init(scenario: LoadedScenario, model: Model, observedFile: String, observations: [Observation], comparisons: [Backtest.Comparison]) {
        self.scenario = model.name
        file = scenario.file
        sha256 = scenario.sha256
        self.observedFile = observedFile
        start = model.timeline.start.description
        horizon = model.timeline.horizon.description
        replications = model.timeline.replications
        seed = model.timeline.seed
        func defined(_ x: Double) -> Double? { x.isNaN ? nil : x }
        rows = zip(observations, comparisons).map(Row.init)
        let coverage = Backtest.Coverage(comparisons)
        self.coverage = CoverageSummary(
            observations: coverage.observations, in50: coverage.in50, in90: coverage.in90,
            rate50: defined(coverage.rate50), rate90: defined(coverage.rate90))
    }

    /// backtest.csv: one row per observed figure (columns in docs/data.md).
    var csv: String {
        func number(_ x: Double?) -> String { x.map { CSVWriter.number($0, 6) } ?? "NA" }
        return CSVWriter.table(
            ["date", "measure", "source", "observed", "mean", "p5", "p25", "p50", "p75", "p95", "in_50", "in_90", "error", "pit"],
            rows.map { r in
                [r.date, r.measure, r.source, number(r.observed)]
                    + [r.projected.mean, r.projected.p5, r.projected.p25, r.projected.p50, r.projected.p75, r.projected.p95].map(number)
                    + [String(r.in50), String(r.in90), number(r.error), number(r.pit)]
            })
    }

    /// The printed comparison: one line per figure, then the coverage.
    func text(folder: String) -> String {
        func show(_ x: Double?, _ measure: String) -> String {
            guard let x else { return "n/a" }
            return measure.contains("count(") ? DataFrontend.count(x) : Terminal.percent(x, 2)
        }
        var out = "\(scenario): backtest from \(start), \(replications) replications, seed \(seed) → \(Terminal.shown(folder))\n"
        let width = max(7, rows.map(\.measure.count).max() ?? 0)
        out += "  date     " + "measure".padding(toLength: width, withPad: " ", startingAt: 0)
            + "  observed  median   50% interval         90% interval         in 50/90\n"
        for r in rows {
            let p = r.projected, m = r.measure
            out += "  \(r.date)  " + m.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + show(r.observed, m).leftPadded(8) + "  " + show(p.p50, m).leftPadded(7) + "  "
                + "[\(show(p.p25, m)), \(show(p.p75, m))]".padding(toLength: 20, withPad: " ", startingAt: 0) + " "
                + "[\(show(p.p5, m)), \(show(p.p95, m))]".padding(toLength: 20, withPad: " ", startingAt: 0) + " "
                + "\(r.in50 ? "yes" : "no")/\(r.in90 ? "yes" : "no")\n"
        }
        let c = coverage
        out += "  coverage: \(c.in50) of \(c.observations) in the 50% intervals (\(Terminal.percent(c.rate50 ?? .nan, 0)); nominal 50%), "
            + "\(c.in90) of \(c.observations) in the 90% intervals (\(Terminal.percent(c.rate90 ?? .nan, 0)); nominal 90%)"
        return out
    }
}
