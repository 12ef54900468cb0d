import Workforce
import WorkforceFormats
import WorkforceResults

/// One folder given to `workforce report`: a scenario's results, analysis results, or both.
package struct ResultFolder: Sendable {
    /// The folder as given, for messages.
    package var path: String
    /// The name shown: the scenario's title, else its name, else the folder's.
    package var name: String
    /// The scenario's name (its identifier), else the folder's: chart ids and file names.
    package var identifier: String
    package var results: ScenarioResults?
    /// The scenario's description, when its file could be read unchanged.
    package var description: String?
    /// The scenario's main assumption in words (`Assumptions.main`), when its file could be read unchanged.
    package var mainAssumption: String?
    /// A link (relative to the comparison page) to the scenario's own report, if it has one.
    package var link: String?
    package var sensitivity: Sensitivity?
    package var attribution: Attribution?
    package var sweep: Sweep?
    /// A two-lever frontier of `workforce solve --lever`.
    package var frontier: FrontierChart.Frontier?
    /// What a frontier of any number of levers, or a solve, says it would take, in words (`BoardSummary.whatItTakes`).
    package var whatItTakes: String?
    /// A solve (`workforce solve`): the value of an input at which a target is met with a given chance.
    package var solve: SolveFile?
    /// A paired comparison (`workforce compare`): each scenario against the first, target by target.
    package var compare: CompareFile?
    /// What was found but could not be shown, and why.
    package var notes: [String]

    /// The analysis files a folder is searched for.
    package static let analysisFiles = ["sensitivity.json", "attribution.json", "sweep.json", "frontier.json", "solve.json", "compare.json"]

    /// Reads a folder's files (name → contents). With a projections.csv, a run's result files
    /// must all be there and readable; an analysis file that cannot be read becomes a note.
    /// Fails when the folder holds neither.
    /// `labels`: the inputs' words by field path, from the scenario file, for a sweep's inputs.
    package init(
        path: String, files: [String: String], description: String?, link: String?, mainAssumption: String? = nil, labels: [String: String] = [:]
    ) throws(InputError) {
        self.path = path
        self.description = description
        self.mainAssumption = mainAssumption
        self.link = link
        // projections.csv marks a run's folder (a sweep's folder has a manifest.json of its own).
        if files["projections.csv"] != nil {
            do {
                results = try ScenarioResults(RunResults(decoding: files))
            } catch {
                throw error.inFolder(path)
            }
        }
        var notes: [String] = []
        func read<T>(_ file: String, _ parse: (String) throws(InputError) -> T) -> T? {
            guard let text = files[file] else { return nil }
            do {
                return try parse(text)
            } catch {
                notes.append("\(path)/\(file) is not shown: \(error.messages).")
                return nil
            }
        }
        // The analyses' JSON, decoded into the types their commands wrote it from.
        sensitivity = read("sensitivity.json") { text throws(InputError) in Sensitivity(try ResultJSON.decode(SensitivityFile.self, text, file: "sensitivity.json")) }
        attribution = read("attribution.json") { text throws(InputError) in Attribution(try ResultJSON.decode(AttributionFile.self, text, file: "attribution.json")) }
        sweep = read("sweep.json") { text throws(InputError) in Sweep(try ResultJSON.decode(SweepFile.self, text, file: "sweep.json"), labels: labels) }
        let frontierFile = read("frontier.json") { text throws(InputError) in try ResultJSON.decode(FrontierFile.self, text, file: "frontier.json") }
        compare = read("compare.json") { text throws(InputError) in try ResultJSON.decode(CompareFile.self, text, file: "compare.json") }
        solve = read("solve.json") { text throws(InputError) in try ResultJSON.decode(SolveFile.self, text, file: "solve.json") }
        whatItTakes = frontierFile.map(BoardSummary.whatItTakes) ?? solve.map(BoardSummary.whatItTakes)
        frontier = frontierFile.flatMap { file in
            read("frontier.json") { _ throws(InputError) in
                guard let frontier = FrontierChart.Frontier(file) else {
                    throw InputError(file: "frontier.json", "no chart: expected a frontier of exactly two levers")
                }
                return frontier
            }
        }
        self.notes = notes
        guard results != nil || Self.analysisFiles.contains(where: { files[$0] != nil }) else {
            throw InputError(
                file: path,
                "no results here; expected the files of `workforce run` (\(RunResults.requiredFiles.joined(separator: ", "))) or \(Self.analysisFiles.joined(separator: ", "))")
        }
        let folderName = path.split(separator: "/").last.map(String.init) ?? path
        name = results?.manifest.shownName ?? folderName
        identifier = results?.manifest.scenario ?? folderName
    }
}

/// The comparison page: several scenarios' targets side by side and on the same fan charts,
/// and the tornado, attribution and sweep charts of any folder that has those results.
package enum ComparisonReport {
    /// The files, name → contents: `report.html`, `report.md` and each chart as an `.svg`.
    package static func files(_ folders: [ResultFolder]) -> [(name: String, contents: String)] {
        let scenarios = folders.filter { $0.results != nil }
        var page = Page(title: "Comparison: " + folders.map(\.name).joined(separator: ", "))
        BoardSummary.comparison(folders, into: &page)

        func line(_ f: ResultFolder) -> String {
            var line = f.name
            if let r = f.results { line += " (\(ScenarioReport.runLine(r).dropLast()))" }
            if let d = f.description, !d.isEmpty { line += ": " + d }
            if let link = f.link { line += " Report: \(link)." }
            return line
        }
        if !scenarios.isEmpty {
            page.heading("The scenarios", id: "scenarios")
            page.bullets(scenarios.map(line))
        }
        // Folders with analysis results only (sensitivity, attribution, sweep, frontier) are not scenarios.
        let analysisFolders = folders.filter { $0.results == nil }
        if !analysisFolders.isEmpty {
            page.heading("The analyses", id: "analyses")
            page.bullets(analysisFolders.map { f in
                let kinds = [f.sensitivity.map { _ in "sensitivity" }, f.attribution.map { _ in "attribution" }, f.sweep.map { _ in "sweep" },
                             f.frontier.map { _ in "frontier" }, f.solve.map { _ in "what it takes (solve)" },
                             f.compare.map { _ in "paired comparison" }].compactMap { $0 }
                return "\(f.name): \(kinds.isEmpty ? "no analysis that can be shown" : kinds.joined(separator: ", ")) (\(f.path))."
            })
        }
        let seeds = Set(scenarios.compactMap { $0.results?.manifest.seed })
        if scenarios.count > 1, seeds.count == 1, let seed = seeds.first, scenarios.allSatisfy({ $0.results?.manifest.mode == .monteCarlo }) {
            page.paragraph(
                "All use seed \(seed): replication i of each draws the same random streams flow by flow (common random numbers), "
                    + "so the differences between them owe less to chance than those between independent runs.", className: "note")
        }
        for note in folders.flatMap(\.notes) { page.paragraph(note, className: "note") }

        if !scenarios.isEmpty {
            targetTables(&page, scenarios)
            fanCharts(&page, scenarios)
        }
        analyses(&page, folders)

        if !scenarios.isEmpty {
            page.heading("About these runs", id: "manifest")
            let runs = scenarios.map { ($0.name, $0.results!.manifest) }
            page.table(Table(
                caption: "From each manifest.json",
                header: ["Scenario", "File", "Mode", "Replications", "Seed", "Started", "Wall time (s)"],
                rows: runs.map { name, m in [name, m.file, m.mode.words, Figure(Double(m.replications)).count, "\(m.seed)", m.started, String(format: "%.1f", m.wallTimeSeconds)] },
                numeric: [3, 4, 6]))
            page.table(Table(
                caption: "Versions: the scenario file's SHA-256, workforce and GSL",
                header: ["Scenario", "Scenario file SHA-256", "workforce", "GSL"],
                rows: runs.map { name, m in [name, m.sha256, m.version, m.gslVersion] },
                numeric: [], code: [1]))
        }
        let footer = "Written by workforce from " + folders.map(\.path).joined(separator: ", ") + "; every number is as in those folders' files."
        var files = [("report.html", page.document(footer: footer)), ("report.md", page.markdown + "---\n\n" + footer + "\n"),
                     (BoardSummary.file, BoardSummary.comparisonDocument(folders, footer: ""))]
        files += page.charts.map { ("\($0.id).svg", $0.svg + "\n") }
        return files
    }

    /// The targets side by side: the chance met, then the median measure, one column per scenario.
    private static func targetTables(_ page: inout Page, _ scenarios: [ResultFolder]) {
        let results = scenarios.map { $0.results! }
        let names = results.flatMap { $0.targets.map(\.name) }.uniqued()
        guard !names.isEmpty else { return }
        page.heading("Targets side by side", id: "targets")
        func target(_ r: ScenarioResults, _ name: String) -> TargetsFile.Entry? { r.targets.first { $0.name == name } }
        var differing: [String] = []
        for name in names {
            let aims = Set(results.compactMap { r in target(r, name).map { ScenarioReport.aim($0, ranks: r.ranks) } })
            if aims.count > 1 { differing.append(name) }
        }
        page.paragraph(ScenarioReport.chanceKey, className: "note")
        page.bullets(Status.allCases.map(\.key))
        page.table(Table(
            caption: "Status and chance met (95% interval)",
            header: ["Aim"] + scenarios.map(\.name),
            rows: names.map { name in
                [name] + results.map { r in
                    target(r, name).map { t in
                        let v = r.verdict(t)
                        return "\(v.status?.rawValue ?? "not known"): \(v.phrase)"
                    } ?? "—"
                }
            },
            numeric: Set(1...scenarios.count)), className: "compare")
        page.table(Table(
            caption: "Median of the measure at the target's date (90% interval)",
            header: ["Target"] + scenarios.map(\.name),
            rows: names.map { name in
                [name] + results.map { r in target(r, name).map(r.medianWithInterval) ?? "—" }
            },
            numeric: Set(1...scenarios.count)), className: "compare")
        if !differing.isEmpty {
            page.paragraph("Defined differently in some scenarios (compare with care): " + differing.joined(separator: "; ") + ".", className: "note")
        }
    }

    /// The scenarios on the same fan charts: the share of each group a target names among all
    /// officers and in each rank with an officer target, then the total headcount.
    private static func fanCharts(_ page: inout Page, _ scenarios: [ResultFolder]) {
        let results = scenarios.map { $0.results! }
        var specs: [ScenarioReport.FanSpec] = []
        for r in results {
            for t in r.targets where r.labels(of: t.group) != nil {
                let spec = ScenarioReport.FanSpec(rank: .all, group: t.group, basis: t.denominatorExcludes)
                if !specs.contains(spec) { specs.append(spec) }
            }
        }
        for r in results {
            for t in r.targets where t.shareOf == .officers {
                guard let rank = r.rankLabel(of: t), rank != .all else { continue }
                let spec = ScenarioReport.FanSpec(rank: rank, group: t.group, basis: t.denominatorExcludes)
                if !specs.contains(spec) { specs.append(spec) }
            }
        }
        page.heading("Representation over time", id: "representation")
        page.paragraph(
            "Each scenario in its own colour: the line is the median, the shaded band the middle 50% of outcomes and the dashed lines the 90% interval. "
                + "The black dot is the starting point; diamonds are targets at their date and level.")
        for spec in specs {
            var seen = Set<String>()
            var marks: [FanChart.Mark] = []
            let fans = zip(scenarios, results).enumerated().compactMap { i, pair -> FanChart.Fan? in
                let (folder, r) = pair
                guard let (e, g) = r.labels(of: spec.group) else { return nil }
                for t in r.targets where t.shareOf == .officers && t.group == spec.group && r.rankLabel(of: t) == spec.rank
                    && t.denominatorExcludes == spec.basis && seen.insert(t.name).inserted {
                    marks.append(ScenarioReport.mark(t))
                }
                let points = r.dates.compactMap { d in
                    r.share(d, rank: spec.rank, ethnicity: e, gender: g, basis: spec.basis).map { (date: d, stats: $0) }
                }
                return points.isEmpty ? nil : FanChart.Fan(name: folder.name, colour: Palette.scenario(i), points: points)
            }
            guard !fans.isEmpty else { continue }
            let whom = spec.whom
            page.figure(FanChart.chart(
                id: "compare-\(spec.id)", title: "\(spec.group.words) share of \(whom)",
                measure: "share of \(whom) (%)", kind: .share, fans: fans, marks: marks))
        }
        let totals = zip(scenarios, results).enumerated().compactMap { i, pair -> FanChart.Fan? in
            let points = pair.1.dates.compactMap { d in
                pair.1.projection(d, rank: .all, ethnicity: .all, gender: .all).map { (date: d, stats: $0.headcount) }
            }
            return points.isEmpty ? nil : FanChart.Fan(name: pair.0.name, colour: Palette.scenario(i), points: points)
        }
        if !totals.isEmpty {
            page.heading("Officers in post", level: 3)
            page.figure(FanChart.chart(id: "compare-headcount", title: "Officers in post, all ranks", measure: "officers (headcount)", kind: .headcount, fans: totals, marks: []))
        }
    }

    /// A paired comparison as a table: chances in %, their differences in percentage points
    /// (never a difference in %), each to the digits its Monte Carlo error supports.
    /// `titles`: scenario titles by file stem, for the scenarios whose run folders are also given.
    static func compareTable(_ c: CompareFile, titles: [String: String] = [:]) -> Table {
        Table(
            caption: "compare.json: scenario against \(titles[c.scenarios[0]] ?? c.scenarios[0]), aim by aim",
            header: ["Aim", "Scenario", "Chance met: baseline → scenario", "Difference (95% interval)", "Change in the measure (90% interval)"],
            rows: c.comparisons.map { e in
                let n = c.replications
                // Both chances to the coarser of their two precisions, so the pair reads alike.
                let digits = [e.baselineProbability, e.probability].map { Chance($0, replications: n)?.decimals ?? 1 }.min() ?? 1
                let p = e.probabilityDifference, m = e.measureDifference
                let dDigits = Figure.decimals(standardError: p.standardError ?? .nan)
                let mDigits = Figure.decimals(standardError: (m.pairedSd ?? .nan) / Double(max(n, 1)).squareRoot())
                return [
                    e.target, titles[e.scenario] ?? e.scenario,
                    "\(Figure(e.baselineProbability).percent(decimals: digits)) → \(Figure(e.probability).percent(decimals: digits))",
                    "\(Figure(p.mean).points(decimals: dDigits)) (\(Figure(p.low).points(decimals: dDigits)) to \(Figure(p.high).points(decimals: dDigits)))",
                    "\(Figure(m.p50).points(decimals: mDigits)) (\(Figure(m.p5).points(decimals: mDigits)) to \(Figure(m.p95).points(decimals: mDigits)))",
                ]
            },
            numeric: [2, 3, 4])
    }

    /// Sensitivity, attribution and sweep charts of every folder that has them.
    private static func analyses(_ page: inout Page, _ folders: [ResultFolder]) {
        let thresholds = Dictionary(folders.compactMap(\.results).flatMap { $0.targets.map { ($0.name, $0.level) } }, uniquingKeysWith: { a, _ in a })
        // A compare file names scenarios by file stem; a run folder of the same name gives its title.
        let titles = Dictionary(folders.compactMap { f in f.results.map { (f.path.split(separator: "/").last.map(String.init) ?? f.path, $0.manifest.shownName) } },
                                uniquingKeysWith: { a, _ in a })
        var used: [String: Int] = [:]
        for folder in folders {
            // Folders of the same name (two frontiers of one scenario) get `-2`, `-3`, … so each chart keeps its own file.
            let base = Markup.slug(folder.identifier)
            used[base, default: 0] += 1
            let slug = used[base]! > 1 ? "\(base)-\(used[base]!)" : base
            if let s = folder.sensitivity, !s.rows.isEmpty {
                page.heading("Sensitivity: \(folder.name)", id: "sensitivity-\(slug)")
                page.paragraph("Each input moved on its own to a low and a high value, on the same random numbers; the bars show the mean change in the target's measure, largest swing first.")
                for (i, target) in s.targets.enumerated() { page.figure(AnalysisCharts.tornado(s, target: target, id: "tornado-\(slug)-\(i + 1)")) }
            }
            if let a = folder.attribution, !a.targets.isEmpty {
                page.heading("Attribution: \(folder.name)", id: "attribution-\(slug)")
                page.paragraph(
                    "The change in each target's measure from the start to its date, split into the part with no group differences at all (structure) "
                        + "and the parts of the group differences in recruitment, leaving and promotion, each averaged over every order in which "
                        + "the differences can be added (so what they do together is shared out), which add up to the total.")
                for (i, entry) in a.targets.enumerated() {
                    page.figure(AnalysisCharts.waterfall(
                        target: entry.target, start: entry.start, parts: entry.parts, threshold: thresholds[entry.target], id: "attribution-\(slug)-\(i + 1)"))
                    page.bullets(AnalysisCharts.attributionSentences(entry.parts))
                }
            }
            if let f = folder.frontier {
                page.heading("What it takes to meet " + (f.targets.count == 1 ? f.targets[0] : "\(f.targets.count) aims together"), id: "frontier-\(slug)")
                page.paragraph(
                    "The combinations of \(f.names[0]) and \(f.names[1]) at which every one of \(f.targets.joined(separator: ", ")) is met "
                        + "with a chance of at least \(Int((f.probability * 100).rounded()))%, on the same random numbers (docs/analysis.md).")  // checked: a probability in 0...1, times 100
                page.figure(f.chart(id: "frontier-\(slug)"))
            }
            if let c = folder.compare, !c.comparisons.isEmpty {
                let baseline = titles[c.scenarios[0]] ?? c.scenarios[0]
                page.heading("Paired comparison against \(baseline)", id: "compare-\(slug)")
                page.paragraph(
                    "Each scenario against \(baseline) on the same \(c.replications) replications (seed \(c.seed)): the chance each aim is met "
                        + "in both, and the difference in percentage points with its 95% interval; then the paired change in the aim's measure at its "
                        + "date (median and 90% interval of the replication-by-replication differences).")
                page.table(compareTable(c, titles: titles), className: "data paired")
            }
            if let s = folder.solve {
                page.heading("What it takes to meet \(s.target)", id: "solve-\(slug)")
                let answer = BoardSummary.whatItTakes(s)
                page.paragraph(
                    answer.prefix(1).uppercased() + answer.dropFirst() + " Found by bisection on \(s.replications) replications of \(s.scenario) on the same "
                        + "random numbers (seed \(s.seed)); the chance there is \(Figure(s.probabilityAtValue).percent(decimals: 0)).")
            }
            if let s = folder.sweep, !s.points.isEmpty {
                page.heading("Sweep: \(folder.name)", id: "sweep-\(slug)")
                page.paragraph("The chance each target is met at every point of the sweep over \(s.parameters.joined(separator: " and ")).")
                for (i, target) in s.targets.enumerated() {
                    switch AnalysisCharts.heatMap(s, target: target, id: "sweep-\(slug)-\(i + 1)") {
                    case .success(let chart): page.figure(chart)
                    case .failure(let reason): page.paragraph("\(target): no heat map, because \(reason.message).", className: "note")
                    }
                }
            }
        }
    }
}
