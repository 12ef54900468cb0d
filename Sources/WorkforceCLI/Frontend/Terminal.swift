import Foundation
import Workforce
import WorkforceAnalysis
import WorkforceScenario

/// Everything printed: the summary on stdout, errors and progress on stderr.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// What one scenario's run produced, for the summary.
    struct ScenarioReport: Sendable {
        var scenario: LoadedScenario
        var model: Model
        var summary: Summary
        /// Each target's attainability bound, in target order.
        var bounds: [Attainability.Bound]
        var options: Engine.Options
        var seconds: Double
        var folder: String
    }

    static func percent(_ x: Double, _ decimals: Int = 1) -> String {
        x.isNaN ? "n/a" : String(format: "%.\(decimals)f%%", x * 100)
    }

    /// A few lines per scenario: each target's probability and measure, and the headcount at the horizon.
    static func text(_ r: ScenarioReport) -> String {
        let mode = r.options.expected ? "expected-value projection" : "\(r.options.replications) replications, seed \(r.options.seed)"
        var out = "\(r.model.name): \(mode), \(String(format: "%.2f", r.seconds)) s → \(r.folder)\n"
        let horizon = r.model.timeline.horizon
        if let total = r.summary.projections.last(where: { $0.date == horizon && $0.rank == Summary.all && $0.ethnicity == Summary.all && $0.gender == Summary.all }) {
            let h = total.headcount
            let whole = { (x: Double) in String(format: "%.0f", x) }
            out += "  officers at \(horizon): \(whole(h.p50)) (90% interval \(whole(h.p5))–\(whole(h.p95)))\n"
        }
        if !r.summary.targets.isEmpty {
            let width = max(6, r.summary.targets.map(\.target.name.count).max()!)
            out += "  " + "target".padding(toLength: width, withPad: " ", startingAt: 0) + "  P(met)  median [90% interval]     first met (median)\n"
            for t in r.summary.targets {
                let interval = "\(percent(t.value.p50)) [\(percent(t.value.p5)), \(percent(t.value.p95))]"
                out += "  " + t.target.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  " + percent(t.probability, 0).leftPadded(6)
                    + "  " + interval.padding(toLength: 25, withPad: " ", startingAt: 0)
                    + (t.medianFirstMet?.description ?? "not within horizon") + "\n"
                if let b = r.bounds.first(where: { $0.target.name == t.target.name }) {
                    out += "  " + String(repeating: " ", count: width) + "  ↳ " + Attainability.sentence(b) + "\n"
                }
            }
        }
        return out
    }

    /// The `--json` summary: schema `workforce.run/1`.
    static func json(_ reports: [ScenarioReport]) -> String {
        struct Run: Encodable {
            var schema = "workforce.run/1"
            var scenarios: [Scenario]
        }
        struct Scenario: Encodable {
            var name, file, sha256, output, mode: String
            var replications: Int
            var seed: UInt64
            var wallTimeSeconds: Double
            var targets: [ResultWriter.TargetsFile.Entry]
        }
        let run = Run(scenarios: reports.map { r in
            Scenario(
                name: r.model.name, file: r.scenario.file, sha256: r.scenario.sha256, output: r.folder,
                mode: r.options.expected ? "expected-value" : "monte-carlo",
                replications: r.summary.replications, seed: r.options.seed,
                wallTimeSeconds: (r.seconds * 1000).rounded() / 1000,
                targets: ResultWriter.TargetsFile(r.summary, r.model, bounds: r.bounds).targets)
        })
        return (try? ResultWriter.json(run)) ?? "{}\n"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// Replications finished per scenario, drawn on stderr (only when it is a terminal) at most ten
/// times a second.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let names: [String]
    private var done: [Int]
    private var totals: [Int]
    private let enabled: Bool
    private var lastDraw = ContinuousClock.now
    private let clock = ContinuousClock()
    private let started = ContinuousClock.now

    init(scenarios: [String], enabled: Bool) {
        names = scenarios
        done = Array(repeating: 0, count: scenarios.count)
        totals = Array(repeating: 0, count: scenarios.count)
        self.enabled = enabled
    }

    func update(_ scenario: Int, done count: Int, of total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done[scenario] = count
        totals[scenario] = total
        let now = clock.now
        guard now - lastDraw > .milliseconds(100) else { return }
        lastDraw = now
        let finished = done.reduce(0, +), all = max(1, totals.reduce(0, +))
        let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) * 1e-18
        let eta = finished > 0 ? elapsed * Double(all - finished) / Double(finished) : 0
        let width = 30, filled = width * finished / all
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        // checked: eta is elapsed seconds × (all − finished) / finished, with all ≤ Limits.replications
        FileHandle.standardError.write(Data("\r\(bar) \(finished)/\(all) replications, ETA \(Int(eta.rounded())) s\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
