import Workforce
import WorkforceResults

/// What a report says that the result files do not hold: from the scenario itself.
package struct ScenarioText: Sendable {
    /// The scenario's `description`.
    package var description: String
    /// Key assumptions in words (see `Assumptions.list`).
    package var assumptions: [String]
    /// The expected recruitment funnels of intakes that have one (`FunnelFigures.expected`).
    package var funnels: [FunnelFigures]
    /// The summary's main assumption in words (`Assumptions.main`), if any. (What the run
    /// assumed about officer numbers is in the results: `RunManifest.headcount`.)
    package var mainAssumption: String?

    package init(description: String, assumptions: [String], funnels: [FunnelFigures] = [], mainAssumption: String? = nil) {
        self.description = description
        self.assumptions = assumptions
        self.funnels = funnels
        self.mainAssumption = mainAssumption
    }
}

/// One scenario's board report: `report.html`, `report.md` and each chart as an `.svg`, in the
/// order a board reads: what the scenario is, whether the targets will be met, representation
/// over time, headcount, flows, the rank pyramid, and what the run was.
package enum ScenarioReport {
    /// The files, name → contents, ready to be written into the results folder.
    package static func files(_ r: ScenarioResults, text: ScenarioText) -> [(name: String, contents: String)] {
        var page = Page(title: "\(r.manifest.shownName): workforce projection")
        BoardSummary.section(r, text: text, into: &page)
        page.heading("The scenario", id: "scenario")
        page.paragraph(text.description, className: "lede")
        page.paragraph(runLine(r), className: "meta")
        page.heading("Key assumptions", id: "assumptions")
        page.bullets(text.assumptions)

        page.heading("Will the targets be met?", id: "verdicts")
        if r.targets.isEmpty {
            page.paragraph("The scenario sets no targets.")
        } else {
            if r.manifest.mode == .monteCarlo { page.paragraph(chanceKey, className: "note") }
            page.bullets(Status.allCases.map(\.key))
            page.table(verdicts(r), className: "verdicts")
            if let note = BoardSummary.recruitNote(r) { page.paragraph(note, className: "note") }
        }

        page.heading("Representation over time", id: "representation")
        page.paragraph(
            "Each fan shows the share over the replications: the darker band holds the middle 50% of outcomes, the lighter band 90%, "
                + "and the line is the median. The black dot is the starting point, the workforce at \(Dates.long(r.start)) as the scenario gives it; "
                + "each target is a diamond at its date and level.")
        let (fans, notes) = fanCharts(r)
        for note in notes { page.paragraph(note, className: "note") }
        for chart in fans { page.figure(chart) }

        page.heading("Headcount by rank", id: "headcount")
        page.figure(PipelineCharts.headcount(r))
        page.heading(PipelineCharts.phrase(r.recordedFlows), id: "flows")
        page.figure(PipelineCharts.flows(r))
        FunnelReport.section(text.funnels, into: &page)
        page.heading("The rank pyramid", id: "pyramid")
        page.figure(PipelineCharts.pyramid(r))

        page.heading("About this run", id: "manifest")
        page.table(manifest(r.manifest), className: "manifest")

        let footer = "Written by workforce \(r.manifest.version) from the files of this folder (projections.csv, flows.csv, targets.csv, targets.json, manifest.json); every number is as in those files."
        var files = [("report.html", page.document(footer: footer)), ("report.md", page.markdown + "---\n\n" + footer + "\n"),
                     (BoardSummary.file, BoardSummary.document(r, text: text, footer: ""))]
        files += page.charts.map { ("\($0.id).svg", $0.svg + "\n") }
        return files
    }

    /// What a chance, its interval and its words mean: the paragraph before every table of chances.
    static let chanceKey =
        "Each chance is the share of the replications (simulated futures) in which the aim is met at its date. Its 95% interval shows how far "
        + "that share could move with another set of replications of the same size, and the chance is printed to the digits that supports. "
        + "It is put into words (very unlikely below 10%, unlikely below 33%, about even up to 67%, likely above 67%, very likely above 90%) "
        + "only when its whole interval lies in one band; otherwise it reads \u{201C}about X, between A and B\u{201D}."

    /// "Monte Carlo, 1000 replications, seed 20211201; run 2026-…"
    static func runLine(_ r: ScenarioResults) -> String {
        let m = r.manifest
        let mode = m.mode == .expectedValue
            ? "Expected-value projection (one deterministic run: no intervals, and each chance is 0% or 100%)"
            : "Monte Carlo simulation, \(m.replications) replications, seed \(m.seed)"
        return "\(mode); \(Dates.long(r.start)) to \(Dates.long(r.horizon)); run \(m.started)."
    }

    /// The verdict table: one row per target. A Monte Carlo run gives each target's chance of
    /// being met, its median with a 90% interval, and when it is first met; an expected-value run
    /// is one deterministic projection, so it says only "met" or "not met" and the value, with
    /// no chance and no interval. When targets.json has attainability bounds, a last column
    /// states them.
    static func verdicts(_ r: ScenarioResults) -> Table {
        let bounds = r.targets.contains { $0.attainability != nil }
        if r.manifest.mode == .expectedValue {
            return Table(
                caption: "Targets in the expected-value projection: met or not at the date, and the value there",
                header: ["Target", "Aim", "At the date", "Value at the date"] + (bounds ? ["What it would need (expected value)"] : []),
                rows: r.targets.map { t in
                    [t.name, aim(t, ranks: r.ranks), RunManifest.Mode.metInExpectedValue(chance: t.chance.value) ? "met" : "not met", t.median.percent]
                        + (bounds ? [t.attainability?.statement ?? "not computed"] : [])
                },
                numeric: [3],
                rowClasses: r.targets.map { "status-" + (r.verdict($0).status?.colour ?? "none") })
        }
        return Table(
            caption: "Aims: the chance each is met at its date (of replications where its measure is defined) with its 95% interval, "
                + "the measure there, and when it is first met and kept met",
            header: ["Aim", "Definition", "Status", "Chance met (95% interval)", "In words", "Median at the date (90% interval)", "Most likely year first met",
                     "Not met by \(Dates.long(r.horizon))"]
                + (bounds ? ["What it would need (expected value)"] : []),
            rows: r.targets.map { t in
                let verdict = r.verdict(t)
                let digits = verdict.chance?.decimals ?? 1
                return [t.name, aim(t, ranks: r.ranks), verdict.status?.rawValue ?? "not known", verdict.chance?.withInterval ?? "undefined",
                        verdict.bands, r.medianWithInterval(t), mostLikelyYear(t, decimals: digits), t.never.percent(decimals: digits)]
                    + (bounds ? [t.attainability?.statement ?? "not computed"] : [])
            },
            numeric: [3, 5, 7],
            rowClasses: r.targets.map { "status-" + (r.verdict($0).status?.colour ?? "none") })
    }

    /// A target's definition in words: "BAME at least 21% of officers (all ranks) by Dec 2024",
    /// "Female at least 50% of recruits (all ranks) from Apr 2022 to Mar 2023".
    static func aim(_ t: TargetsFile.Entry, ranks allRanks: [String]) -> String {
        let ranks = t.ranks == allRanks ? "all ranks" : t.ranks.joined(separator: ", ")
        let level = "\(t.comparison == .atMost ? "at most" : "at least") \(t.level.exactPercent)"
        if t.shareOf == .officers { return "\(t.group.words) \(level) of officers (\(ranks)) by \(Dates.long(t.date))" }
        let into = t.shareOf == .promotions ? "promotions into" : "recruits into"
        let period = t.periodStart.map { "from \(Dates.long($0)) to \(Dates.long(t.date))" } ?? "by \(Dates.long(t.date))"
        return "\(t.group.words) \(level) of \(into) \(ranks) \(period)"
    }

    /// "2024 (41%)": the year with the highest probability of first meeting the target, that
    /// probability to `decimals` places (those the replications support).
    static func mostLikelyYear(_ t: TargetsFile.Entry, decimals: Int = 1) -> String {
        guard let year = t.mostLikelyFirstYear else { return "never within the run" }
        return "\(year.year) (\(Figure(year.probability).percent(decimals: decimals)))"
    }

    /// Fan charts: all officers for each group a target names, then each rank an officer target
    /// is set for, each on its targets' denominator basis (a target excluding "Not stated" gets
    /// a fan of the share excluding "Not stated", so it starts where the target's measure does);
    /// notes for targets that cannot be drawn.
    static func fanCharts(_ r: ScenarioResults) -> (charts: [Chart], notes: [String]) {
        var notes: [String] = []
        var specs: [FanSpec] = []
        for t in r.targets where r.labels(of: t.group) != nil {
            let spec = FanSpec(rank: .all, group: t.group, basis: t.denominatorExcludes)
            if !specs.contains(spec) { specs.append(spec) }
        }
        if r.targets.isEmpty {
            // No targets: every aggregate of either dimension, else every category but the first.
            func aggregates(_ labels: [Label]) -> [String] {
                labels.compactMap { label in
                    if case .aggregate(let name) = label { return name }
                    return nil
                }
            }
            let (ethnic, gender) = (aggregates(r.ethnicityLabels), aggregates(r.genderLabels))
            let groups = ethnic.isEmpty && gender.isEmpty
                ? r.ethnicities.dropFirst().map { GroupName(ethnicity: $0) } + r.genders.prefix(1).map { GroupName(gender: $0) }
                : ethnic.map { GroupName(ethnicity: $0) } + gender.map { GroupName(gender: $0) }
            specs = groups.map { FanSpec(rank: .all, group: $0, basis: []) }
        }
        for rank in r.ranks.map(Label.category) + (r.manifest.rankAggregates ?? []).map({ Label.aggregate($0.name) }) {
            for t in r.targets where t.shareOf == .officers && r.rankLabel(of: t) == rank {
                let spec = FanSpec(rank: rank, group: t.group, basis: t.denominatorExcludes)
                if !specs.contains(spec) { specs.append(spec) }
            }
        }
        let undrawn = r.targets.filter { $0.shareOf == .officers && (r.rankLabel(of: $0) == nil || r.labels(of: $0.group) == nil) }
        if !undrawn.isEmpty {
            notes.append(
                "Not drawn (the projections have no row for their ranks or group; see the verdict table): "
                    + undrawn.map(\.name).joined(separator: "; ") + ".")
        }
        return (specs.compactMap { fanChart($0, r, id: "fan-\($0.id)") }, notes)
    }

    /// The fan chart of one spec, with the officer targets set for it marked; nil when the
    /// projections have no row for it. `plotHeight` as in `FanChart.chart`.
    static func fanChart(_ spec: FanSpec, _ r: ScenarioResults, id: String, plotHeight: Double = 214) -> Chart? {
        guard let points = spec.points(r), !points.isEmpty else { return nil }
        let whom = spec.whom
        let marks = r.targets.filter {
            $0.shareOf == .officers && $0.group == spec.group && r.rankLabel(of: $0) == spec.rank && $0.denominatorExcludes == spec.basis
        }.map(mark)
        return FanChart.chart(
            id: id, title: "\(spec.group.words) share of \(whom)",
            measure: "share of \(whom) (%)", kind: .share, fans: [FanChart.Fan(name: spec.group.words, colour: Palette.blue, points: points)],
            marks: marks, plotHeight: plotHeight)
    }

    /// One fan chart of a group's share: of which rank (or all), on which basis (the categories
    /// left out of the denominator; none for all officers).
    struct FanSpec: Equatable {
        var rank: Label
        var group: GroupName
        var basis: [String]

        /// The share's quantiles at each date of `r`; nil when `r` has no labels for the group.
        func points(_ r: ScenarioResults) -> [(date: Month, stats: Stats)]? {
            guard let (e, g) = r.labels(of: group) else { return nil }
            return r.dates.compactMap { d in r.share(d, rank: rank, ethnicity: e, gender: g, basis: basis).map { (date: d, stats: $0) } }
        }

        /// Whose share: "all officers", "the Sergeant rank", "the Senior ranks", then
        /// " excluding Not stated" on another basis.
        var whom: String {
            let officers = switch rank {
            case .all: "all officers"
            case .category(let name): "the \(name) rank"
            case .aggregate(let name): "the \(name) ranks"
            }
            return officers + (basis.isEmpty ? "" : " excluding \(basis.joined(separator: ", "))")
        }

        /// The chart's id after its prefix: `all-bame`, `sergeant-black`, `all-bame-excl-not-stated`.
        var id: String {
            "\(Markup.slug(rank.name))-\(Markup.slug(group.words))" + (basis.isEmpty ? "" : "-excl-" + basis.map(Markup.slug).joined(separator: "-"))
        }
    }

    static func mark(_ t: TargetsFile.Entry) -> FanChart.Mark {
        FanChart.Mark(date: t.date, threshold: t.level, label: "\(t.comparison == .atMost ? "≤" : "≥") \(t.level.exactPercent) \(Dates.long(t.date))")
    }

    static func manifest(_ m: RunManifest) -> Table {
        Table(
            caption: "From manifest.json",
            header: ["Item", "Value"],
            rows: [
                ["Scenario", m.scenario]] + (m.title.map { [["Title", $0]] } ?? []) + [["Scenario file", m.file], ["Scenario file SHA-256", m.sha256], ["Mode", m.mode.words],
                ["Replications", "\(m.replications)"], ["Seed", "\(m.seed)"], ["Threads", "\(m.threads)"], ["workforce version", m.version],
                ["GSL version", m.gslVersion], ["Started", m.started], ["Wall time (s)", String(format: "%.1f", m.wallTimeSeconds)],
                ["Officers at the start", Figure(Double(m.initial.total)).count],
            ],
            numeric: [])
    }
}
