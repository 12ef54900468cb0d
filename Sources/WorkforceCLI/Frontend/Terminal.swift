import Foundation
import Workforce
import WorkforceResults
import WorkforceAnalysis
import WorkforceScenario
import WorkforceReport

/// Everything printed: the summary on stdout, errors and progress on stderr.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A path as the summaries print it: relative to the working directory when it is inside it
    /// (`Results/example`, however `--out` was given), else as it is; so that a summary saved
    /// beside the results names them wherever the repository is.
    static func shown(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = here.hasSuffix("/") ? here : here + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : path
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
        var out = "\(r.model.title ?? r.model.name): \(mode), \(String(format: "%.2f", r.seconds)) s → \(shown(r.folder))\n"
        let horizon = r.model.timeline.horizon
        if let total = r.summary.projections.last(where: { $0.date == horizon && $0.rank == .all && $0.ethnicity == .all && $0.gender == .all }) {
            let h = total.headcount
            let whole = { (x: Double) in Figure(x).count }
            out += "  officers at \(horizon): \(whole(h.p50))"
                + (r.options.expected ? "\n" : " (90% interval \(whole(h.p5))–\(whole(h.p95)))\n")
        }
        out += "  headcount: \(HeadcountAssumption(r.model).sentence)\n"
        if !r.summary.targets.isEmpty {
            let width = max(6, r.summary.targets.map(\.target.name.count).max()!)
            // Expected-value mode is one projection: met or not and its value, no chance or interval.
            // Each chance with its 95% interval and words that do not flip with noise (`Verdict`).
            let verdicts = r.summary.targets.map { t in
                r.options.expected
                    ? Verdict(met: RunManifest.Mode.metInExpectedValue(chance: t.probability))
                    : Verdict(probability: t.probability, replications: r.summary.replications)
            }
            let chanceWidth = max(7, verdicts.map(\.phrase.count).max() ?? 0)
            out += "  " + "target".padding(toLength: width, withPad: " ", startingAt: 0)
                + (r.options.expected ? "  met?     value     first met\n"
                    : "  " + "chance met (95% interval)".padding(toLength: chanceWidth, withPad: " ", startingAt: 0) + "  median [90% interval]     first met (median)\n")
            for (t, verdict) in zip(r.summary.targets, verdicts) {
                let interval = r.options.expected
                    ? percent(t.value.p50) : "\(percent(t.value.p50)) [\(percent(t.value.p5)), \(percent(t.value.p95))]"
                out += "  " + t.target.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  " + verdict.phrase.padding(toLength: chanceWidth, withPad: " ", startingAt: 0)
                    + "  " + interval.padding(toLength: r.options.expected ? 8 : 25, withPad: " ", startingAt: 0)
                    + (t.medianFirstMet?.description ?? "not within horizon")
                // One line per aim: what it would need, on the same line.
                if let b = r.bounds.first(where: { $0.target.name == t.target.name }) {
                    out += (t.medianFirstMet == nil ? "  " : "  ".padding(toLength: 2 + "not within horizon".count - t.medianFirstMet!.description.count, withPad: " ", startingAt: 0))
                        + "→ " + Attainability.sentence(b)
                }
                out += "\n"
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
            var name, file, sha256, output: String
            var mode: RunManifest.Mode
            var replications: Int
            var seed: UInt64
            var wallTimeSeconds: Double
            var headcount: HeadcountAssumption
            var targets: [TargetsFile.Entry]
        }
        let run = Run(scenarios: reports.map { r in
            Scenario(
                name: r.model.name, file: r.scenario.file, sha256: r.scenario.sha256, output: shown(r.folder),
                mode: RunManifest.Mode(expected: r.options.expected),
                replications: r.summary.replications, seed: r.options.seed,
                wallTimeSeconds: (r.seconds * 1000).rounded() / 1000, headcount: HeadcountAssumption(r.model),
                targets: TargetsFile(r.summary, r.model, bounds: r.bounds).targets)
        })
        return (try? ResultJSON.encode(run)) ?? "{}\n"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// Replications finished per scenario, on stderr. On a terminal, a bar redrawn at most ten times
/// a second; otherwise (a scheduler's log) one line every `lineInterval`, from a timer, so that a
/// run whose replications are slow still shows it is alive. `quiet` silences both.
final class Progress: @unchecked Sendable {
    /// How often a line is written when stderr is not a terminal: 10 s (in debug builds, the
    /// tests may shorten it with `WORKFORCE_TEST_PROGRESS_SECONDS`).
    static var lineInterval: Int {
        #if DEBUG
        if let text = ProcessInfo.processInfo.environment["WORKFORCE_TEST_PROGRESS_SECONDS"], let seconds = Int(exactly: Double(text) ?? 0),
           seconds > 0 {
            return seconds
        }
        #endif
        return 10
    }

    private enum Mode { case bar, lines, off }
    private let lock = NSLock()
    private let names: [String]
    private var done: [Int]
    private var totals: [Int]
    /// Scenarios whose replications are done and whose results are being summarised and written.
    private var summarising = Set<Int>()
    private let mode: Mode
    private var lastDraw = ContinuousClock.now
    private let clock = ContinuousClock()
    private let started = ContinuousClock.now
    private var timer: DispatchSourceTimer?

    init(scenarios: [String], quiet: Bool = false) {
        names = scenarios
        done = Array(repeating: 0, count: scenarios.count)
        totals = Array(repeating: 0, count: scenarios.count)
        mode = quiet ? .off : Terminal.stderrIsTerminal ? .bar : .lines
        if mode == .lines {
            let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
            let seconds = Self.lineInterval
            timer.schedule(deadline: .now() + .seconds(seconds), repeating: .seconds(seconds))
            timer.setEventHandler { [weak self] in self?.writeLine() }
            timer.resume()
            self.timer = timer
        }
    }

    func update(_ scenario: Int, done count: Int, of total: Int) {
        guard mode != .off else { return }
        lock.lock()
        defer { lock.unlock() }
        done[scenario] = count
        totals[scenario] = total
        // Its last replication done, a scenario's results are summarised (quantiles, attainability
        // bounds, files, report): the bar says so at once instead of sitting at "ETA 0 s".
        let last = count >= total && summarising.insert(scenario).inserted
        guard mode == .bar else { return }
        let now = clock.now
        guard last || now - lastDraw > .milliseconds(100) else { return }
        lastDraw = now
        draw(now)
    }

    /// Redraws the bar (called with the lock held).
    private func draw(_ now: ContinuousClock.Instant) {
        let (finished, all, _, eta) = state(now)
        let width = 30, filled = width * finished / all
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(finished)/\(all) replications, \(eta)\u{1B}[K".utf8))
    }

    /// Replications finished and in all, seconds elapsed and the estimate of the time left
    /// (`ETA 12 s`), or `summarising…` once every replication is done and a scenario's results
    /// are being summarised.
    private func state(_ now: ContinuousClock.Instant) -> (finished: Int, all: Int, elapsed: Int, eta: String) {
        let finished = done.reduce(0, +), all = max(1, totals.reduce(0, +))
        let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) * 1e-18
        let eta = finished == all && !summarising.isEmpty ? "summarising…"
            : finished > 0 ? String(format: "ETA %.0f s", elapsed * Double(all - finished) / Double(finished)) : "ETA unknown"
        return (finished, all, Int(elapsed.rounded()), eta)  // checked: seconds since the start
    }

    /// One line for a log: `progress: 12/1000 replications (1%), 30 s elapsed, about 2470 s left`.
    private func writeLine() {
        lock.lock()
        let (finished, all, elapsed, eta) = state(clock.now)
        lock.unlock()
        let percent = String(format: "%.0f%%", 100 * Double(finished) / Double(all))
        let what = names.count == 1 ? "\(names[0]): " : ""
        FileHandle.standardError.write(Data(
            "progress: \(what)\(finished)/\(all) replications (\(percent)), \(elapsed) s elapsed, \(eta)\n".utf8))
    }

    func finish() {
        timer?.cancel()
        if mode == .bar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
