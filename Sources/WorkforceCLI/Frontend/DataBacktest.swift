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
        let text = try reporting { () throws(InputError) in try read(observed) }
        let prepared = try reporting { () throws(InputError) in
            try loaded.map { (scenario) throws(InputError) in
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

extension BacktestFile {
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
