import Foundation
import Testing
@testable import WorkforceReport
import WorkforceResults
import _WorkforceTestSupport

/// The report as the `workforce` command writes it, and as Chromium renders it.
@Suite(.serialized) struct CommandTests {
    /// Runs the shipped example once (40 replications) into a fresh folder.
    static let example: Result<URL, Command.Failure> = {
        do {
            let out = try CLI.temporaryFolder()
            let outcome = try CLI.run(["run", "Scenarios/example.yaml", "--replications", "40", "--threads", "2", "--out", out.path])
            guard outcome.status == 0 else { return .failure(Command.Failure(message: "workforce run failed: \(outcome.stderr)")) }
            return .success(out.appendingPathComponent("example"))
        } catch {
            return .failure(Command.Failure(message: "\(error)"))
        }
    }()

    @Test func everyRunWritesItsReportWithTheNumbersOfItsCSVs() throws {
        let folder = try Self.example.get()
        let md = try CLI.read(folder.appendingPathComponent("report.md"))
        let html = try CLI.read(folder.appendingPathComponent("report.html"))
        let targets = try ResultTable(try CLI.read(folder.appendingPathComponent("targets.csv")), file: "targets.csv")
        let (name, p, p5, p50, p95) = (try targets.column("target"), try targets.column("probability_met"), try targets.column("p5"), try targets.column("p50"), try targets.column("p95"))
        #expect(targets.rows.count == 4)
        for row in targets.rows {
            let line = try #require(md.split(separator: "\n").first { $0.hasPrefix("| \(row[name]) |") }, "no verdict row for \(row[name])")
            // 40 replications: the chance to whole percents with its 95% interval; the median's error
            // (about 0.15 pt) supports whole percents too.
            let chance = try #require(Chance(Double(row[p]), replications: 40))
            #expect(line.contains("| \(chance.withInterval) |"))
            #expect(line.contains("| \(Figure.interval(median: Figure(row[p50]), low: Figure(row[p5]), high: Figure(row[p95]), decimals: 0)) |"))
            #expect(html.contains("<td class=\"num\">\(chance.withInterval)</td>"))
        }
        // Every chart the page shows is also its own file.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let svgs = files.filter { $0.hasSuffix(".svg") }.sorted()
        #expect(svgs == ["fan-all-bame.svg", "fan-all-black.svg", "fan-all-female.svg", "fan-sergeant-black.svg", "flows-by-group.svg", "headcount-by-rank.svg", "rank-pyramid.svg", "summary-trend.svg"])
        for svg in svgs { #expect(md.contains("](\(svg))")) }
        #expect(html.components(separatedBy: "<svg ").count - 1 == svgs.count)
        // The starting point is the initial workforce: 1000 officers at 2021-12.
        #expect(md.contains("| 2021-12 | All ranks | 1,000 | 1,000 | 1,000 |"))
    }

    /// A target on the Home Office basis (here: excluding Other) is drawn on a fan of the share
    /// on its own basis, which starts at the target's own starting value; projections.csv carries
    /// that basis beside the share of all officers.
    @Test func aTargetOnAnotherBasisIsDrawnOnItsOwnBasis() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "run", "Scenarios/example.yaml", "--replications", "5", "--out", out.path, "--set", "targets[1].denominator_excludes=[Other]",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let folder = out.appendingPathComponent("example")
        var files: [String: String] = [:]
        for name in RunResults.requiredFiles { files[name] = try CLI.read(folder.appendingPathComponent(name)) }
        #expect(files["projections.csv"]!.split(separator: "\n")[0].hasSuffix(",share_excl_other_mean,share_excl_other_p5,share_excl_other_p25,share_excl_other_p50,share_excl_other_p75,share_excl_other_p95"))
        let r = try ScenarioResults(RunResults(decoding: files))
        #expect(r.bases == [["Other"]])
        // The target's own starting value, from the initial counts: BAME without Other over all without Other.
        let counts = r.manifest.initial.byRankAndGroup
        let stated = Double(counts.filter { $0.ethnicity != "Other" }.map(\.headcount).reduce(0, +))
        let bame = Double(counts.filter { ["Black", "Asian", "Mixed"].contains($0.ethnicity) }.map(\.headcount).reduce(0, +))
        let all = Double(counts.map(\.headcount).reduce(0, +))
        let own = try #require(r.share(r.start, rank: .all, ethnicity: .aggregate("BAME"), gender: .all, basis: ["Other"]))
        #expect(abs(own.p50.value - bame / stated) < 5e-7)
        let allOfficers = try #require(r.share(r.start, rank: .all, ethnicity: .aggregate("BAME"), gender: .all, basis: []))
        #expect(abs(allOfficers.p50.value - (bame + Double(counts.filter { $0.ethnicity == "Other" }.map(\.headcount).reduce(0, +))) / all) < 5e-7)
        #expect(abs(own.p50.value - allOfficers.p50.value) > 1e-3, "the two bases must differ for this test to mean anything")
        // The fan with the target's diamond is on its basis and starts at the target's starting value.
        let (charts, _) = ScenarioReport.fanCharts(r)
        let fan = try #require(charts.first { $0.id == "fan-all-bame-excl-other" })
        #expect(fan.title == "BAME share of all officers excluding Other")
        #expect(fan.svg.contains("≥ 28%"))
        #expect(fan.tables[0].rows[0][3] == Figure(bame / stated).percent)
        let plain = try #require(charts.first { $0.id == "fan-all-bame" })
        #expect(!plain.svg.contains("≥ 28%") && plain.svg.contains("≥ 21%"))
        #expect(plain.tables[0].rows[0][3] == Figure(allOfficers.p50.value).percent)
    }

    /// A rank aggregate works where a rank list does (here a target's ranks), is projected like
    /// a rank, and a target on it gets its fan.
    @Test func aRankAggregateIsProjectedAndFanned() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "run", "Scenarios/example.yaml", "--replications", "5", "--out", out.path,
            "--set", "dimensions.aggregates.Supervisors=[Sergeant, Inspector]", "--set", "targets[2].ranks=Supervisors",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let folder = out.appendingPathComponent("example")
        var files: [String: String] = [:]
        for name in RunResults.requiredFiles { files[name] = try CLI.read(folder.appendingPathComponent(name)) }
        let results = try RunResults(decoding: files)
        #expect(results.manifest.rankAggregates == [RunManifest.RankGroup(name: "Supervisors", ranks: ["Sergeant", "Inspector"])])
        #expect(results.targets.targets[2].ranks == ["Sergeant", "Inspector"])
        let r = try ScenarioResults(results)
        let start = r.manifest.initial.byRankAndGroup.filter { $0.rank != "Constable" }.map(\.headcount).reduce(0, +)
        let supervisors = try #require(r.projection(r.start, rank: .aggregate("Supervisors"), ethnicity: .all, gender: .all))
        #expect(supervisors.headcount.p50.value == Double(start))
        let (charts, notes) = ScenarioReport.fanCharts(r)
        #expect(notes.isEmpty)
        let fan = try #require(charts.first { $0.id == "fan-supervisors-black" })
        #expect(fan.title == "Black share of the Supervisors ranks")
        #expect(fan.svg.contains("≥ 3%"))
    }

    /// The key assumptions come from the scenario as run (here with an override), and say when a
    /// target is not a share of all officers, as its fan chart is.
    @Test func assumptionsDescribeTheScenarioAsRun() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run([
            "run", "Scenarios/example.yaml", "--replications", "5", "--out", out.path, "--set", "targets[1].denominator_excludes=[Other]",
            "--set", "recruitment[0].gender={Female: 0.45, Male: 0.55}",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let md = try CLI.read(out.appendingPathComponent("example/report.md"))
        #expect(md.contains("- Period: Dec 2021 to Dec 2030 in monthly steps; 5 replications, seed 20211201.\n"))
        #expect(md.contains("- Starting workforce at Dec 2021: 1,000 officers (Constable 780, Sergeant 170, Inspector 50); maximum service 35 years.\n"))
        #expect(md.contains("Other 4% from Apr 2022. Gender: Female 45%, Male 55%.\n"))
        #expect(md.contains("- Target \"BAME 28% of officers by 2030\" leaves Other out of its share (numerator and denominator); "))
        #expect(!md.contains("- Target \"BAME 21% of officers by 2024\""))
    }

    @Test func reportComparesFoldersAndShowsAnalysesWhenPresent() throws {
        let example = try Self.example.get()
        let root = try CLI.temporaryFolder()
        let copy = root.appendingPathComponent("example-copy")
        try FileManager.default.copyItem(at: example, to: copy)
        let attribution = AttributionFile(scenario: "example", seed: 1, replications: 5, targets: [
            AttributionFile.Target(target: "BAME 28% of officers by 2030", start: 0.146, endMean: 0.236, components: [
                AttributionFile.Component(component: "recruitment", shapleyMean: 0.08, shapleyP5: nil, shapleyP95: nil, oneAtATimeMean: nil),
                AttributionFile.Component(component: "total", shapleyMean: 0.09, shapleyP5: nil, shapleyP95: nil, oneAtATimeMean: nil),
            ]),
        ])
        try CLI.write(try ResultJSON.encode(attribution), to: copy.appendingPathComponent("attribution.json"))
        try CLI.write(#"{"schema": "workforce.sweep/1"}"#, to: copy.appendingPathComponent("sweep.json"))
        let out = root.appendingPathComponent("comparison")
        let outcome = try CLI.run(["report", example.path, copy.path, "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let md = try CLI.read(out.appendingPathComponent("report.md"))
        #expect(md.contains("## Targets side by side"))
        #expect(md.contains("## Attribution: example"))
        #expect(md.contains("| recruitment | +8.0 pt | NA | NA | NA |"))
        #expect(md.contains("sweep.json is not shown: no 'key'; expected a file written by workforce."))
        #expect(md.contains("Report: ../example-copy/report.html."), "the copy's page, linked from the comparison's folder")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("compare-all-bame.svg").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("attribution-example-2-1.svg").path))

        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let failed = try CLI.run(["report", empty.path, "--out", root.appendingPathComponent("nothing").path])
        #expect(failed.status == 65)
        #expect(failed.stderr.contains("\(empty.path): no results here"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("nothing").path))
    }

    // MARK: Rendered in headless Chromium

    @Test func theReportRendersWithEveryChartAndPrintsOnA4() throws {
        try #require(Command.chromium != nil, "headless Chromium is not installed; ./scripts/test installs it (Debian package chromium)")
        let folder = try Self.example.get()
        let out = try CLI.temporaryFolder()
        let check = try CLI.script("check-report", [folder.appendingPathComponent("report.html").path, out.path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("ok: 8 charts laid out and drawn, no console messages"))  // the summary's trend, then the report's 7
        let pdf = try Data(contentsOf: out.appendingPathComponent("report.pdf"))
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(String(decoding: pdf, as: UTF8.self).contains("/MediaBox [0 0 594.95996 841.91998]"), "not A4")
        #expect(try Data(contentsOf: out.appendingPathComponent("report.png")).count > 50_000)
    }

    /// The one-page summary of every Met scenario (each with ten aims or so) prints on exactly one
    /// A4 page, passes the render check, and comes first in the full report.
    @Test func theSummaryOfEveryMetScenarioPrintsOnOnePage() throws {
        try #require(Command.chromium != nil, "headless Chromium is not installed; ./scripts/test installs it (Debian package chromium)")
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: "Scenarios").filter { $0.hasPrefix("met-") && $0.hasSuffix(".yaml") }.sorted()
        #expect(scenarios.count >= 5)
        let out = try CLI.temporaryFolder()
        let run = try CLI.run(["run"] + scenarios.map { "Scenarios/\($0)" } + ["--replications", "20", "--threads", "2", "--quiet", "--no-bounds", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        for scenario in scenarios {
            let folder = out.appendingPathComponent(String(scenario.dropLast(5)))
            let summary = try CLI.read(folder.appendingPathComponent("summary.html"))
            #expect(summary.contains("aims on track") && summary.contains("What it would take:") && summary.contains("Biggest risk:")
                && summary.contains("Main assumption:"), "\(scenario)")
            let report = try CLI.read(folder.appendingPathComponent("report.html"))
            let first = try #require(report.range(of: "<section class=\"summary\">")), assumptions = try #require(report.range(of: "id=\"assumptions\""))
            #expect(first.lowerBound < assumptions.lowerBound, "\(scenario): the summary comes first")
            let check = try CLI.script("check-report", [folder.appendingPathComponent("summary.html").path, try CLI.temporaryFolder().path])
            #expect(check.status == 0, "\(scenario): \(check.stderr)")
            #expect(check.stdout.contains("printed on 1 A4 page(s)"), "\(scenario): \(check.stdout)")
        }
        // The comparison's summary puts them side by side, on one page too: the four scenarios and
        // the committed analyses of Results/met-comparison (scripts/regenerate-results).
        let comparison = out.appendingPathComponent("comparison")
        let compared = ["met-2021-current-trends", "met-action-plan", "met-retention", "met-what-it-takes"].map { out.appendingPathComponent($0).path }
        let analyses = ["Results/compare-met-2021-current-trends-vs-met-action-plan-vs-met-retention-vs-met-what-it-takes",
                        "Results/met-action-plan-sensitivity", "Results/met-action-plan-attribution",
                        "Results/met-levers-analysis/frontier-officers/met-levers-frontier", "Results/met-levers-analysis/frontier-ranks/met-levers-frontier",
                        "Results/met-action-plan-solve"]
        let report = try CLI.run(["report"] + compared + analyses + ["--out", comparison.path])
        #expect(report.status == 0, "\(report.stderr)")
        let summary = try CLI.read(comparison.appendingPathComponent("summary.html"))
        #expect(summary.contains("Aims on track: ") && summary.contains("<table class=\"aims side-by-side\">"))
        #expect(summary.contains("What it would take: to meet "), "the frontiers say what it would take")
        let check = try CLI.script("check-report", [comparison.appendingPathComponent("summary.html").path, try CLI.temporaryFolder().path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("printed on 1 A4 page(s)"), "the comparison: \(check.stdout)")

        // Plain words and honest digits on every page made here: no field path, no "intake N of M",
        // no percentage to two decimals or more, and (20 replications: an error of several points)
        // every chance in whole percents.
        let sides = try CLI.run(["report"] + compared + analyses.suffix(3) + ["--out", out.appendingPathComponent("plain").path])
        #expect(sides.status == 0, "\(sides.stderr)")
        let pages = scenarios.flatMap { scenario in ["report.html", "report.md", "summary.html"].map { "\(scenario.dropLast(5))/\($0)" } }
            + ["plain/report.html", "plain/report.md", "plain/summary.html"]
        let fieldPath = try Regex(#"[a-z_]+\[[0-9]+\]\.[a-z_]+"#), intake = try Regex(#"intake [0-9]+ of [0-9]+"#), tooFine = try Regex(#"[0-9]\.[0-9]{2,}%"#)
        let chanceCell = try Regex(#"<td class="num">([^<]*)</td><td class="num">[^<]*</td></tr>"#)
        for name in pages {
            let text = try CLI.read(out.appendingPathComponent(name))
            for (what, pattern) in [("a field path", fieldPath), ("intake N of M", intake)] {
                let found = text.firstMatch(of: pattern).map { String(text[$0.range]) }
                #expect(found == nil, "\(name): \(what): \(found ?? "")")
            }
            // Measured numbers (the summary, the verdicts): inputs such as a pass rate of 66.64% are shown as given.
            var measured = Substring(text)
            if !name.hasSuffix("summary.html"), let from = text.range(of: name.hasPrefix("plain") ? "id=\"targets\"" : "id=\"verdicts\""),
               let to = text.range(of: "id=\"representation\"") {
                measured = text[from.lowerBound..<to.lowerBound]
            }
            if name.hasSuffix(".md") { continue }  // the same content as the HTML page
            let fine = measured.firstMatch(of: tooFine).map { String(measured[$0.range]) }
            #expect(fine == nil, "\(name): a measured percentage to two decimals: \(fine ?? "")")
            if name.hasSuffix("summary.html") && !name.hasPrefix("plain") {
                let chances = text.matches(of: chanceCell).compactMap { $0.output[1].substring.map(String.init) }
                #expect(!chances.isEmpty, "\(name): no aims table")
                for chance in chances { #expect(!chance.contains("."), "\(name): \(chance) from 20 replications") }
            }
        }
    }

    /// Scenarios/example-bases.yaml, rendered: a target on the Home Office basis gets its own fan
    /// beside the all-officers one (each starting at its own initial share), and a target on a rank
    /// aggregate gets the aggregate's fan; the page passes the render check.
    @Test func bothBasesAndARankAggregateAreDrawnAndRender() throws {
        try #require(Command.chromium != nil, "headless Chromium is not installed; ./scripts/test installs it (Debian package chromium)")
        let out = try CLI.temporaryFolder()
        let run = try CLI.run(["run", "Scenarios/example-bases.yaml", "--replications", "20", "--threads", "2", "--quiet", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let folder = out.appendingPathComponent("example-bases")
        let svgs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".svg") }.sorted()
        #expect(svgs == ["fan-all-bme-excl-not-stated.svg", "fan-all-bme.svg", "fan-supervisors-bme.svg", "flows-by-group.svg", "headcount-by-rank.svg", "rank-pyramid.svg", "summary-trend.svg"])
        let md = try CLI.read(folder.appendingPathComponent("report.md"))
        // The starting points are the initial workforce's (initial.csv: 600 officers, 71 BME, 37 not
        // stated): 71/563 = 12.6% on the Home Office basis, 71/600 = 11.8% of all officers.
        let basis = try #require(md.split(separator: "\n").first { $0.contains("BME share of all officers excluding Not stated.") })
        let all = try #require(md.split(separator: "\n").first { $0.contains("BME share of all officers.") })
        #expect(basis.contains("12.6% at Dec 2021") && basis.contains("Targets: ≥ 16% Mar 2026"), "\(basis)")
        #expect(all.contains("11.8% at Dec 2021") && all.contains("Targets: ≥ 16% Mar 2026"), "\(all)")
        let aggregate = try #require(md.split(separator: "\n").first { $0.contains("BME share of the Supervisors ranks.") })
        #expect(aggregate.contains("Targets: ≥ 10% Mar 2028"), "\(aggregate)")
        #expect(md.contains("leaves Not stated out of its share (numerator and denominator); its fan is drawn on the same basis"))
        let check = try CLI.script("check-report", [folder.appendingPathComponent("report.html").path, try CLI.temporaryFolder().path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("ok: 7 charts laid out and drawn, no console messages"))
    }

    /// The check can fail: a page that reaches for the network is caught by its console message,
    /// and a chart with nothing drawn is named.
    @Test func theRenderCheckCatchesABrokenPage() throws {
        try #require(Command.chromium != nil, "headless Chromium is not installed; ./scripts/test installs it (Debian package chromium)")
        let folder = try Self.example.get()
        let broken = try CLI.temporaryFolder()
        var html = try CLI.read(folder.appendingPathComponent("report.html"))
        html = html.replacingOccurrences(of: "<main>", with: "<main><img alt=\"\" src=\"https://example.invalid/logo.png\">")
        let chart = try #require(html.range(of: "<figure id=\"figure-fan-all-black\">"))
        html.insert(contentsOf: "<figure><svg class=\"chart\" id=\"blank\" viewBox=\"0 0 10 10\"><title>t</title><desc>d</desc></svg><figcaption>x</figcaption></figure>\n", at: chart.lowerBound)
        try CLI.write(html, to: broken.appendingPathComponent("report.html"))
        let check = try CLI.script("check-report", [broken.appendingPathComponent("report.html").path, broken.appendingPathComponent("render").path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("blank: empty (0 shapes, 0 with a visible size)"))
        #expect(check.stderr.contains("Content Security Policy"))
    }

    /// A label drawn on top of another, and a line drawn through a label, fail the check; the
    /// page as written passes it.
    @Test func theRenderCheckCatchesCollisions() throws {
        try #require(Command.chromium != nil, "headless Chromium is not installed; ./scripts/test installs it (Debian package chromium)")
        let folder = try Self.example.get()
        let clean = try CLI.script("check-report", [folder.appendingPathComponent("report.html").path, try CLI.temporaryFolder().path])
        #expect(clean.status == 0, "\(clean.stderr)")
        var html = try CLI.read(folder.appendingPathComponent("report.html"))
        let end = try #require(html.range(of: "</svg>"))
        html.insert(contentsOf: """
            <text x="300" y="100" font-size="11">first label</text><text x="310" y="102" font-size="11">second label</text>            <line x1="200" y1="146" x2="420" y2="146" stroke="#000000"/><text x="250" y="150" font-size="11">crossed label</text>
            """, at: end.lowerBound)
        let broken = try CLI.temporaryFolder()
        try CLI.write(html, to: broken.appendingPathComponent("report.html"))
        let check = try CLI.script("check-report", [broken.appendingPathComponent("report.html").path, broken.appendingPathComponent("render").path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("labels overlap: \"first label\" and \"second label\""), "\(check.stderr)")
        #expect(check.stderr.contains("a line crosses the label \"crossed label\""), "\(check.stderr)")
    }

    /// A sweep's page names its inputs in words (from the scenario file), never by field path.
    @Test func aSweepsInputsAreNamedInWords() throws {
        let root = try CLI.temporaryFolder(), out = root.appendingPathComponent("example-sweep-expected")  // the sweep's folder in --out
        let sweep = try CLI.run([
            "sweep", "Scenarios/example.yaml", "--expected", "--quiet", "--out", root.path,
            "--vary", "recruitment[0].ethnicity[1].shares.Black=0.06:0.1:0.02", "--vary", "leaving.multipliers[0].factor=1,1.2",
        ])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let report = try CLI.run(["report", out.path, "--out", root.appendingPathComponent("page").path])
        #expect(report.status == 0, "\(report.stderr)")
        let md = try CLI.read(root.appendingPathComponent("page/report.md"))
        #expect(md.contains("over Black share of recruits into Constable from Apr 2022 and Leaving multiplier for BAME officers."), "\(md)")
        #expect(!md.contains("recruitment[0]") && !md.contains("leaving.multipliers"))
    }

    /// A colour bar drawn over an axis title (as the sweep heat map's once was) and a marker on a
    /// label (the frontier's "now" cross on a tick label) fail the check.
    @Test func theRenderCheckCatchesShapesOverLabels() throws {
        try #require(Command.chromium != nil, "headless Chromium is not installed; ./scripts/test installs it (Debian package chromium)")
        let folder = try Self.example.get()
        var html = try CLI.read(folder.appendingPathComponent("report.html"))
        let end = try #require(html.range(of: "</svg>"))
        html.insert(contentsOf: """
            <text x="606" y="196" font-size="11">axis title</text><rect x="600" y="184" width="14" height="16" fill="#440154"/>\
            <circle cx="655" cy="160" r="4.5" fill="#000000"/><text x="640" y="164" font-size="11">tick label</text>
            """, at: end.lowerBound)
        let broken = try CLI.temporaryFolder()
        try CLI.write(html, to: broken.appendingPathComponent("report.html"))
        let check = try CLI.script("check-report", [broken.appendingPathComponent("report.html").path, broken.appendingPathComponent("render").path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("a filled shape covers the label \"axis title\""), "\(check.stderr)")
        #expect(check.stderr.contains("a marker sits on the label \"tick label\""), "\(check.stderr)")
    }
}

/// What only the report tests need beside the shared runner (`_WorkforceTestSupport.CLI`).
enum Command {
    struct Failure: Error {
        var message: String
    }

    /// Chromium's path, if it is installed.
    static let chromium: String? = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { name in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }.first
}
