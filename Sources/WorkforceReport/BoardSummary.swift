import Foundation
import Workforce
import WorkforceResults

/// The one-page summary a board reads in two minutes: first in every report, and on its own as
/// `summary.html`. It prints on one A4 page: the question in one sentence, how many aims are on
/// track, every aim with its status (red, amber, green, with the key in words), its chance and
/// its projected value at the date, one trend chart of the main measure with the aims marked,
/// and three bullets: what it would take, the biggest risk and the main assumption.
enum BoardSummary {
    /// The summary on its own prints with narrower top and bottom margins: it has no running text
    /// to continue, and one page is the point.
    static let aloneCSS = "@page { size: A4; margin: 8mm 13mm 8mm; }"

    /// The file name of the summary on its own.
    static let file = "summary.html"

    /// A scenario's summary, written into `page` as a section of its own.
    /// `alone`: the summary is the whole document (no page break after it).
    static func section(_ r: ScenarioResults, text: ScenarioText, into page: inout Page, alone: Bool = false) {
        page.open(alone ? "summary alone" : "summary")
        page.heading(r.manifest.shownName, level: 1)
        page.paragraph(question(r), className: "question")
        if r.targets.isEmpty {
            page.paragraph("The scenario sets no aims.", className: "headline")
        } else {
            page.paragraph(headline(r.targets.map(r.verdict)), className: "headline")
            keyLine(&page)
            page.table(aims(r), className: "aims")
            if let note = recruitNote(r) { page.paragraph(note, className: "note") }
        }
        if let chart = trendChart(r) { page.figure(chart, appendix: false) }
        page.bullets([
            "What it would take: " + (needs(r) ?? notAnalysed),
            "Biggest risk: " + biggestRisk(r),
            "Main assumption: " + mainAssumption(r, text),
        ])
        page.close()
    }

    /// The summary on its own, for `summary.html`.
    static func document(_ r: ScenarioResults, text: ScenarioText, footer: String) -> String {
        var page = Page(title: "\(r.manifest.shownName): summary")
        section(r, text: text, into: &page, alone: true)
        return page.document(footer: footer, css: aloneCSS)
    }

    /// "Under “Met: Action Plan”, how likely is each of its 10 aims to be met by its date
    /// (Dec 2022 to Dec 2030)?"
    static func question(_ r: ScenarioResults) -> String {
        guard let from = r.targets.map(\.date).min(), let to = r.targets.map(\.date).max() else {
            return "What does “\(r.manifest.shownName)” project for the workforce to \(Dates.long(r.horizon))?"
        }
        let dates = from == to ? "by \(Dates.long(to))" : "by its date (\(Dates.long(from)) to \(Dates.long(to)))"
        let count = r.targets.count == 1 ? "its aim" : "each of its \(r.targets.count) aims"
        return "Under “\(r.manifest.shownName)”, how likely is \(count) to be met \(dates)?"
    }

    /// "3 of 10 aims on track; 4 in the balance, 3 off track."
    static func headline(_ verdicts: [Verdict]) -> String {
        let count = { (s: Status) in verdicts.filter { $0.status == s }.count }
        var text = "\(count(.onTrack)) of \(verdicts.count) aim\(verdicts.count == 1 ? "" : "s") on track"
        let rest = [(count(.inTheBalance), Status.inTheBalance), (count(.offTrack), .offTrack)].filter { $0.0 > 0 }
        if !rest.isEmpty { text += "; " + rest.map { "\($0.0) \($0.1.rawValue)" }.joined(separator: ", ") }
        let unknown = verdicts.filter { $0.status == nil }.count
        if unknown > 0 { text += "; \(unknown) not known (no replication defines the measure)" }
        return text + "."
    }

    /// The colour key in one line, in words, each colour on its own background.
    static func keyLine(_ page: inout Page) {
        page.key(
            Status.allCases.map { ("status-" + $0.colour, "\($0.colour), \($0.rawValue):", $0.meaning + ";") },
            after: "each chance is the share of simulated futures in which the aim is met, with its 95% interval.")
    }

    /// The aims: status, chance (95% interval) and projected value at the date (median, 90% interval).
    static func aims(_ r: ScenarioResults) -> Table {
        let expected = r.manifest.mode == .expectedValue
        return Table(
            caption: expected
                ? "Each aim in the expected-value projection: met or not at its date, and the value there"
                : "Each aim: its status, the chance it is met at its date, and the projected value there",
            header: ["Aim", "Status", expected ? "At the date" : "Chance met (95% interval)", expected ? "Value at the date" : "Projected at the date (median, 90% interval)"],
            rows: r.targets.map { t in
                let v = r.verdict(t)
                return [t.name, v.status?.rawValue ?? "not known", v.chance?.withInterval ?? v.words, expected ? t.median.percent : r.medianWithInterval(t)]
            },
            numeric: [2, 3],
            rowClasses: r.targets.map { "status-" + (r.verdict($0).status?.colour ?? "none") })
    }

    /// The recruit (or promotion) aims whose projected median sits on the aim itself, so that their
    /// chance is near even by construction: the plan sets the expected share equal to the aim and
    /// the share achieved varies from year to year around it. Nil when there are none.
    static func recruitNote(_ r: ScenarioResults) -> String? {
        let onTheAim = r.targets.filter { t in
            guard t.shareOf != .officers, r.verdict(t).status == .inTheBalance else { return false }
            let spread = t.high.value - t.low.value
            return spread.isFinite && abs(t.median.value - t.level.value) <= spread / 10
        }
        guard !onTheAim.isEmpty else { return nil }
        let names = onTheAim.map(\.name).joined(separator: "; ")
        return "Why \(onTheAim.count == 1 ? "this aim is" : "these aims are") in the balance (\(names)): the scenario sets the expected share of "
            + "recruits or promotions equal to the aim, and the share actually achieved varies from year to year around it, so the aim is met in "
            + "about half of the simulated futures. Meeting it reliably needs a plan that aims above it."
    }

    /// The main measure over time: the first group an officer aim names, among all officers, with
    /// its aims marked; else the first fan of the report.
    static func trendChart(_ r: ScenarioResults) -> Chart? {
        guard let spec = trendSpec(r) else { return nil }
        return ScenarioReport.fanChart(spec, r, id: "summary-trend", plotHeight: 160)
    }

    /// The main measure: the first group an officer aim names, among all officers; nil without one.
    static func trendSpec(_ r: ScenarioResults) -> ScenarioReport.FanSpec? {
        let officers = r.targets.first { $0.shareOf == .officers && r.labels(of: $0.group) != nil }
        return officers.map { ScenarioReport.FanSpec(rank: .all, group: $0.group, basis: $0.denominatorExcludes) }
    }

    /// The main measure's title ("BAME share of all officers") and its quantiles by date (the
    /// workbook's Trend sheet); nil without an officer aim.
    static func trendSeries(_ r: ScenarioResults) -> (title: String, points: [(date: Month, stats: Stats)])? {
        guard let spec = trendSpec(r), let points = spec.points(r) else { return nil }
        return ("\(spec.group.words) share of \(spec.whom)", points)
    }

    /// What the aims not on track would each need on one of the scenario's own levers (targets.json's
    /// `need`, in the expected-value projection): at most three, the rest counted. Nil when none says.
    static func needs(_ r: ScenarioResults) -> String? {
        let lines = r.targets.compactMap { t -> String? in
            guard r.verdict(t).status != .onTrack, let need = t.attainability?.need, !need.metAsPlanned else { return nil }
            return "\(t.name) \(need.sentence)"
        }
        guard !lines.isEmpty else { return nil }
        let more = lines.count > 3 ? "; and \(lines.count - 3) more in the full report" : ""
        return "each lever on its own, in the expected-value projection: " + lines.prefix(3).joined(separator: "; ") + more + "."
    }

    static let notAnalysed =
        "not analysed in this report. The solve and frontier analyses find what an aim would need: the recruit share, or the promotion or "
        + "retention odds (docs/analysis.md)."

    /// The aim at risk that is furthest from its level: among aims not on track, the one whose
    /// projected median falls shortest of it, in percentage points.
    static func biggestRisk(_ r: ScenarioResults) -> String {
        let atRisk = r.targets.filter { r.verdict($0).status != .onTrack && $0.median.value.isFinite }
        func gap(_ t: TargetsFile.Entry) -> Double { t.comparison == .atMost ? t.median.value - t.level.value : t.level.value - t.median.value }
        guard let worst = atRisk.max(by: { gap($0) < gap($1) }) else {
            return r.targets.isEmpty ? "no aims are set." : "none: every aim is on track."
        }
        let v = r.verdict(worst)
        let short = Figure(abs(gap(worst))).points.replacingOccurrences(of: "+", with: "").replacingOccurrences(of: "−", with: "")
        let side = gap(worst) > 0 ? "\(short) \(worst.comparison == .atMost ? "above" : "short of") it" : "at it"
        return "\(worst.name) is the furthest from its aim: projected \(r.medianWithInterval(worst)) at \(Dates.long(worst.date)) against "
            + "\(worst.comparison == .atMost ? "at most" : "at least") \(worst.level.exactPercent) (\(side)); chance met \(v.chance?.withInterval ?? v.words)."
    }

    /// The scenario's main assumption, then what the run assumed about officer numbers
    /// (`manifest.json`'s `headcount`, absent in results from before it was written).
    static func mainAssumption(_ r: ScenarioResults, _ text: ScenarioText) -> String {
        guard let parts = assumption(main: text.mainAssumption, r) else { return "as listed under Key assumptions in the full report." }
        return parts + ". The full list is under Key assumptions in the full report."
    }

    /// A scenario's main assumption without its full stop: the recruits' make-up (`main`), then
    /// the run's headcount assumption; nil when neither is known.
    static func assumption(main: String?, _ r: ScenarioResults) -> String? {
        var parts: [String] = []
        if let main { parts.append(main) }
        if let headcount = r.manifest.headcount?.sentence {
            parts.append(headcount.hasSuffix(".") ? String(headcount.dropLast()) : headcount)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    // MARK: The comparison's summary

    /// A comparison's summary: the same form with the scenarios side by side. `alone` as in `section`.
    static func comparison(_ folders: [ResultFolder], into page: inout Page, alone: Bool = false) {
        let scenarios = folders.filter { $0.results != nil }
        let results = scenarios.map { $0.results! }
        page.open(alone ? "summary side alone" : "summary side")
        page.heading(scenarios.count > 1 ? "Comparison of \(scenarios.count) scenarios" : "Results: " + folders.map(\.name).joined(separator: ", "), level: 1)
        let names = results.flatMap { $0.targets.map(\.name) }.uniqued()
        if !names.isEmpty {
            page.paragraph(
                "How likely is each of the \(names.count) aims to be met by its date under "
                    + (scenarios.count == 1 ? "“\(scenarios[0].name)”?" : "each of these \(scenarios.count) scenarios (the columns below)?"),
                className: "question")
            page.paragraph(onTrackHeadline(zip(scenarios, results).map { f, r in
                (f.name, r.targets.filter { r.verdict($0).status == .onTrack }.count, r.targets.count)
            }), className: "headline compact")
            keyLine(&page)
            func target(_ r: ScenarioResults, _ name: String) -> TargetsFile.Entry? { r.targets.first { $0.name == name } }
            page.table(Table(
                caption: "Each aim under each scenario: status · chance met at its date (95% interval) · projected median there",
                header: ["Aim"] + scenarios.map(\.name),
                rows: names.map { name in
                    [name] + results.map { r in
                        guard let t = target(r, name) else { return "—" }
                        let v = r.verdict(t)
                        let median = r.manifest.mode == .expectedValue ? t.median.percent : t.median.percent(decimals: r.medianDecimals(t))
                        return "\(v.status?.rawValue ?? "not known") · \(v.chance?.withInterval ?? v.words) · \(median)"
                    }
                },
                numeric: [],
                cellClasses: names.map { name in [""] + results.map { r in target(r, name).map { "status-" + (r.verdict($0).status?.colour ?? "none") } ?? "" } }),
                className: "aims side-by-side")
            if let (f, note) = zip(scenarios, results).lazy.compactMap({ f, r in recruitNote(r).map { (f, $0) } }).first {
                page.paragraph("Under “\(f.name)”: " + note, className: "note")
            }
        }
        if let chart = comparisonTrend(scenarios) { page.figure(chart, appendix: false) }
        let best = zip(scenarios, results).max { a, b in
            a.1.targets.filter { a.1.verdict($0).status == .onTrack }.count < b.1.targets.filter { b.1.verdict($0).status == .onTrack }.count
        }
        let takes = folders.compactMap(\.whatItTakes)
        // Each scenario's recruits, then each one's headcount line, side by side; scenarios with the
        // same one share an entry ("all 4 scenarios" when every one has it).
        func grouped(_ line: (ResultFolder) -> String?) -> [String] {
            var order: [String] = [], holders: [String: [String]] = [:]
            for f in scenarios {
                guard let a = line(f) else { continue }
                if holders[a] == nil { order.append(a) }
                holders[a, default: []].append("“\(f.name)”")
            }
            if order.count == 1, scenarios.count > 1, holders[order[0]]!.count == scenarios.count { return ["all \(scenarios.count) scenarios: \(order[0])"] }
            return order.map { "\(holders[$0]!.joined(separator: " and ")): \($0)" }
        }
        let recruits = grouped { $0.mainAssumption }
        let headcounts = grouped { f in f.results?.manifest.headcount.map { $0.sentence.hasSuffix(".") ? String($0.sentence.dropLast()) : $0.sentence } }
        let assumptions = recruits.isEmpty && headcounts.isEmpty ? []
            : [(recruits.isEmpty ? "" : recruits.joined(separator: "; ") + ". ") + (headcounts.isEmpty ? "" : "Force size, " + headcounts.joined(separator: "; ") + ".")]
        page.bullets([
            "What it would take: " + (takes.isEmpty ? notAnalysed : takes.map { String($0.dropLast()) }.joined(separator: "; ") + "."),
            "Biggest risk: " + (best.map { "under “\($0.0.name)” (the most aims on track), " + biggestRisk($0.1) } ?? "no scenario results."),
            "Main assumptions: " + (assumptions.isEmpty ? "as listed in each scenario's report." : assumptions[0]),
        ])
        page.close()
    }

    /// The comparison's headline: the scenarios grouped by how many aims each has on track, most
    /// first: "3 of 10 aims on track under “B”; 1 of 10 under each of the other 3." (every
    /// scenario named when there are more than two groups).
    static func onTrackHeadline(_ counts: [(name: String, onTrack: Int, aims: Int)]) -> String {
        var groups: [(onTrack: Int, aims: Int, names: [String])] = []
        for c in counts {
            if let i = groups.firstIndex(where: { $0.onTrack == c.onTrack && $0.aims == c.aims }) { groups[i].names.append("“\(c.name)”") }
            else { groups.append((c.onTrack, c.aims, ["“\(c.name)”"])) }
        }
        groups.sort { $0.onTrack > $1.onTrack }
        guard let first = groups.first else { return "Aims on track: no scenario results." }
        if groups.count == 1 {
            return "\(first.onTrack) of \(first.aims) aims on track under " + (counts.count == 1 ? first.names[0] : "each of the \(counts.count) scenarios") + "."
        }
        let head = "\(first.onTrack) of \(first.aims) aims on track under \(first.names.joined(separator: " and "))"
        if groups.count == 2 {
            let other = groups[1], k = other.names.count
            return head + "; \(other.onTrack) of \(other.aims) under " + (k == 1 ? other.names[0] : "each of the other \(k)") + "."
        }
        return head + "; " + groups.dropFirst().map { "\($0.onTrack) of \($0.aims) under \($0.names.joined(separator: " and "))" }.joined(separator: "; ") + "."
    }

    /// The comparison's summary on its own, for `summary.html`.
    static func comparisonDocument(_ folders: [ResultFolder], footer: String) -> String {
        var page = Page(title: "Comparison: summary")
        comparison(folders, into: &page, alone: true)
        return page.document(footer: footer, css: aloneCSS)
    }

    /// The scenarios on one trend chart of the main measure (as `trendChart`, from the first
    /// scenario with an officer aim).
    static func comparisonTrend(_ scenarios: [ResultFolder]) -> Chart? {
        let results = scenarios.compactMap(\.results)
        guard let t = results.lazy.compactMap({ r in r.targets.first { $0.shareOf == .officers && r.labels(of: $0.group) != nil } }).first else { return nil }
        let spec = ScenarioReport.FanSpec(rank: .all, group: t.group, basis: t.denominatorExcludes)
        var seen = Set<String>()
        var marks: [FanChart.Mark] = []
        let fans = scenarios.enumerated().compactMap { i, folder -> FanChart.Fan? in
            guard let r = folder.results, let points = spec.points(r) else { return nil }
            for t in r.targets where t.shareOf == .officers && t.group == spec.group && r.rankLabel(of: t) == .all
                && t.denominatorExcludes == spec.basis && seen.insert(t.name).inserted {
                marks.append(ScenarioReport.mark(t))
            }
            return points.isEmpty ? nil : FanChart.Fan(name: folder.name, colour: Palette.scenario(i), points: points)
        }
        guard !fans.isEmpty else { return nil }
        return FanChart.chart(
            id: "summary-trend", title: "\(spec.group.words) share of \(spec.whom)", measure: "share of \(spec.whom) (%)", kind: .share,
            fans: fans, marks: marks, plotHeight: 85)
    }

    /// A frontier's least-change combination in words: "to meet all 2 aims it analyses (A and 1 more) with a chance
    /// of at least 80%, the least change is BAME share of recruits 0.46 (now 0.4) with BAME
    /// leaving multiplier 1 (now 1)." Lever values to three significant digits, in the levers' own units.
    static func whatItTakes(_ f: FrontierFile) -> String {
        let aims = switch f.targets.count {
        case 1: f.targets[0]
        case 2: "both \(f.targets[0]) and \(f.targets[1])"
        default: "all \(f.targets.count) aims it analyses (\(f.targets[0]) and \(f.targets.count - 1) more)"
        }
        let chance = Figure(f.probability).percent(decimals: 0)
        guard let cheapest = f.cheapest?.leastChange, cheapest.count == f.levers.count else {
            return "no combination of " + f.levers.map(\.name).joined(separator: ", ") + " within their ranges meets \(aims) with a chance of at least \(chance)."
        }
        // The last lever is found by bisection, to its bracket and Monte Carlo error; the others are grid points, inputs as given.
        let error = f.cheapest.map { p in (p.bracket.map { ($0[1] - $0[0]) / 2 } ?? 0) + (p.monteCarloError ?? 0) } ?? .nan
        // Levers left as they are go unnamed; a share is shown in %.
        let settings = zip(f.levers, cheapest).enumerated().compactMap { i, pair -> String? in
            let (lever, x) = pair
            guard abs(x - lever.current) > 1e-9 else { return nil }
            let last = i == f.levers.count - 1
            let range = (lever.range.first ?? 0)...(lever.range.last ?? 1)
            func shown(_ v: Double) -> String {
                FrontierChart.isShare(lever.name, range)
                    ? Figure(v).percent(decimals: last ? Figure.decimals(standardError: error) : 0) : (last ? Figure(v, error: error) : Figure(v, significant: 6)).plain
            }
            return "\(lever.name) \(shown(x)) (now \(FrontierChart.isShare(lever.name, range) ? Figure(lever.current).percent(decimals: 0) : Figure(lever.current, significant: 6).plain))"
        }
        return "to meet \(aims) with a chance of at least \(chance), the least change is " + (settings.isEmpty ? "none" : settings.joined(separator: ", ")) + "."
    }

    /// A solve's answer in words: "to meet BAME 28% of officers by Dec 2030 with a chance of at
    /// least 80%, BAME share of recruits would need to be at least 46% (±0.3 pt: the search step
    /// and Monte Carlo error)." A share is shown as a percentage to the digits its error supports.
    static func whatItTakes(_ s: SolveFile) -> String {
        // Files from before `inputs` was written have only field paths, which a page never shows.
        let words = s.inputs ?? ["the \(s.vary.count == 1 ? "input" : "\(s.vary.count) inputs") varied (named in solve.json)"]
        // The same input of every intake ("… (the planned intake) …", "… (the intake filling the establishment) …") is named once.
        let bare = words.map { $0.replacingOccurrences(of: #" \(the [^)]*intake[^)]*\)"#, with: "", options: .regularExpression) }
        let inputs = Set(bare).count == 1 && words.count > 1 ? bare[0] + ", every intake" : words.joined(separator: " and ")
        let moved = words.count > 1 && Set(bare).count > 1 ? " (moved together)" : ""
        let chance = Figure(s.probability).percent(decimals: 0)
        let share = (s.inputs ?? []).allSatisfy { $0.contains("share") } && s.inputs != nil && s.range.allSatisfy { (0...1).contains($0) }
        func shown(_ x: Double, error: Double) -> String {
            share ? Figure(x).percent(decimals: Figure.decimals(standardError: error)) : Figure(x, error: error).plain
        }
        let range = "\(shown(s.range[0], error: 0.001))–\(shown(s.range[s.range.count - 1], error: 0.001))"
        switch s.verdict {
        case "found":
            guard let value = s.value else { break }
            let error = s.error
            let margin = share ? Figure(error).points(decimals: Figure.decimals(standardError: error)).replacingOccurrences(of: "+", with: "±") : "±" + Figure(error, significant: 2).plain
            return "to meet \(s.target) with a chance of at least \(chance), \(inputs)\(moved) would need to be \(s.increasing ? "at least" : "at most") "
                + "\(shown(value, error: error)) (\(margin): the search step and Monte Carlo error)."
        case "met-throughout-range":
            return "\(s.target) is met with a chance of at least \(chance) anywhere in the range searched for \(inputs)\(moved) (\(range))."
        default:
            break
        }
        return "\(s.target) cannot be met with a chance of at least \(chance) by \(inputs)\(moved) anywhere in the range searched (\(range)); "
            + "the best chance found is \(Figure(s.evaluations.map(\.probability).max() ?? s.probabilityAtValue).percent(decimals: 0))."
    }
}
