import WorkforceFormats
import Foundation
import Testing
import Workforce
@testable import WorkforceReport
import WorkforceResults

/// The report's pieces, on a hand-made results folder whose numbers are known.
@Suite struct ReportTests {
    @Test func figuresAreShownAtTheirHonestPrecision() {
        #expect(Figure("0.162345").percent == "16.2%")
        #expect(Figure("0.162345").percent(decimals: 3) == "16.235%")
        #expect(Figure("0.9730").percent == "97.3%")
        #expect(Figure("1.0000").percent == "100.0%")
        #expect(Figure("0.000000").percent == "0.0%")
        #expect(Figure("0.9996").percent == ">99.9%", "a chance short of certain never prints as certain")
        #expect(Figure("0.0004").percent == "<0.1%")
        #expect(Figure("0.05").exactPercent == "5%", "inputs are shown as given")
        #expect(Figure("0.085").exactPercent == "8.5%")
        #expect(Figure("-0.012300").points == "−1.2 pt")
        #expect(Figure("0.004").points == "+0.4 pt")
        #expect(Figure("-0.0004").points == "<0.1 pt")
        #expect(Figure("0").points == "0 pt")
        #expect(Figure("2012.277").count == "2,012", "counts are whole")
        #expect(Figure("24911.5").count == "24,912")
        #expect(Figure("-1234567").count == "−1,234,567")
        #expect(Figure.interval(median: Figure("0.179844"), low: Figure("0.177507"), high: Figure("0.182289")) == "18.0% (17.8%–18.2%)")
        #expect(Figure.interval(median: Figure("0.162348"), low: Figure("0.16201"), high: Figure("0.16262")) == "16.2% (±<0.1 pt)",
                "an interval narrower than the printed step is not three equal numbers")
        #expect(Figure("24911.000").plain == "24911")
        #expect(Figure("36108.500").plain == "36108.5")
        #expect(Figure("NA").percent == "NA")
        #expect(Figure("NA").value.isNaN)
    }

    @Test func likelihoodBandsFollowTheBoardWording() {
        let cases: [(Double, Likelihood)] = [
            (0, .veryUnlikely), (0.0999, .veryUnlikely), (0.10, .unlikely), (0.3299, .unlikely), (0.33, .aboutEven),
            (0.67, .aboutEven), (0.6701, .likely), (0.90, .likely), (0.9001, .veryLikely), (1, .veryLikely),
        ]
        for (p, band) in cases { #expect(Likelihood(p) == band, "\(p)") }
        #expect(Likelihood(.nan) == nil)
    }

    /// One count formatter: whole for the report, up to one decimal for the terminal's data summaries.
    @Test func countsAreGroupedAndRoundedToTheirPlaces() {
        #expect(Figure(24911.437).count == "24,911")
        #expect(Figure(1234567.25).count(upTo: 1) == "1,234,567.3")
        #expect(Figure(3.04).count(upTo: 1) == "3")
        #expect(Figure(3.5).count(upTo: 1) == "3.5")
        #expect(Figure(-1500.0).count == "−1,500")
        #expect(Figure(-0.04).count(upTo: 1) == "0")
        #expect(Figure(Double.nan).count(upTo: 1) == "NA")
    }

    @Test func csvFieldsMayBeQuoted() throws {
        let table = try ResultTable("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,2,3\n", file: "t.csv")
        #expect(table.rows == [["x, y", "say \"hi\"", "two\nlines"], ["1", "2", "3"]])
        let short = try #require(throws: InputError.self) { try ResultTable("a,b\n1,2,3\n", file: "t.csv") }
        #expect(short.description == "t.csv: line 2: found 3 fields; expected 2, as in the header")
        let error = try #require(throws: InputError.self) { try table.column("d") }
        #expect(error.description == "t.csv: no column 'd'; the header is a,b,c")
    }

    @Test func verdictsQuoteTheResultFiles() throws {
        let r = try Fixture.scenario()
        let table = ScenarioReport.verdicts(r)
        #expect(table.rows[0] == [
            "Black 13% of officers", "Black at least 13% of officers (all ranks) by Dec 2022", "on track", "97% (95%–98%)", "very likely",
            "14.0% (12.0%–16.0%)", "2022 (60%)", "15%",
        ], "500 replications: the chance to whole percents with its 95% interval; the median's error (0.05 pt) supports one decimal")
        #expect(table.rows[1][2] == "in the balance" && table.rows[1][4] == "about even")
        #expect(table.rows[2][1] == "Female at least 35% of recruits into Constable from Jan 2021 to Dec 2021")
        #expect(table.rows[2][4] == "very unlikely")
        #expect(table.rows[2][6] == "never within the run")
        #expect(table.rowClasses == ["status-green", "status-amber", "status-red"])
    }

    /// The fan is drawn to scale from zero: the medians' heights above the zero line are in the
    /// ratio of their values, and the target diamond sits at its threshold.
    @Test func fanChartIsDrawnToScaleFromZero() throws {
        let r = try Fixture.scenario()
        let (charts, _) = ScenarioReport.fanCharts(r)
        #expect(charts.map(\.id) == ["fan-all-black", "fan-all-female", "fan-sergeant-black"])
        let svg = charts[0].svg
        let median = try #require(Self.points(svg, after: "<polyline points=\"", containing: "stroke-width=\"2.2\""))
        #expect(median.count == 3)
        #expect(median[0].x < median[1].x && median[1].x < median[2].x)
        let zero = try #require(Self.zeroLine(svg))
        let heights = median.map { zero - $0.y }
        #expect(abs(heights[1] / heights[0] - 0.12 / 0.10) < 0.01)
        #expect(abs(heights[2] / heights[0] - 0.14 / 0.10) < 0.01)
        // The last diamond drawn (the first is the legend's).
        let diamond = try #require(Self.points(svg, after: "<polygon points=\"", containing: "stroke-width=\"1.2\"", last: true))
        let centreY = (diamond[0].y + diamond[2].y) / 2
        #expect(abs((zero - centreY) / heights[0] - 0.13 / 0.10) < 0.01)
        #expect(svg.contains(">Dec 2020: 10.0%</text>"))
        #expect(svg.contains(">≥ 13% Dec 2022</text>"))
        #expect(charts[0].tables[0].rows[2] == ["2022-12", "12.0%", "13.0%", "14.0%", "15.0%", "16.0%"])
    }

    @Test func everyChartHasATextAlternativeAndAFile() throws {
        let files = ScenarioReport.files(try Fixture.scenario(), text: ScenarioText(description: "A test.", assumptions: ["One."]))
        let names = files.map(\.name)
        #expect(names.prefix(3) == ["report.html", "report.md", "summary.html"])
        let svgs = files.filter { $0.name.hasSuffix(".svg") }
        #expect(svgs.count == 7)  // the summary's trend, three fans, headcount, flows, pyramid
        let html = files[0].contents
        for svg in svgs {
            let id = String(svg.name.dropLast(4))
            #expect(svg.contents.contains("<title id=\"\(id)-title\">") && svg.contents.contains("<desc id=\"\(id)-desc\">"))
            #expect(!svg.contents.contains("<title id=\"\(id)-title\"></title>") && !svg.contents.contains("<desc id=\"\(id)-desc\"></desc>"))
            #expect(html.contains(svg.contents.dropLast()), "\(svg.name) is not inline in report.html as written")
            #expect(files[1].contents.contains("](\(svg.name))"))
        }
    }

    @Test func pageIsSelfContainedAndPrintsOnA4() throws {
        let html = ScenarioReport.files(try Fixture.scenario(), text: ScenarioText(description: "", assumptions: []))[0].contents
        for forbidden in ["<script", "src=", "href=", "url(", "@import", "@font-face", "<link", "<img"] {
            #expect(!html.contains(forbidden), "report.html contains \(forbidden)")
        }
        // The only address is the SVG namespace name, which is never fetched.
        #expect(!html.contains("https://"))
        #expect(html.components(separatedBy: "http://").count == html.components(separatedBy: "http://www.w3.org/2000/svg").count)
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
        #expect(html.contains("@page { size: A4;"))
        let sections = ["id=\"assumptions\"", "id=\"verdicts\"", "id=\"representation\"", "id=\"headcount\"", "id=\"flows\"", "id=\"pyramid\"", "id=\"manifest\""]
        let positions = sections.map { html.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "sections out of the board's order")
    }

    @Test func targetsThatCannotBeDrawnAreNamed() throws {
        var targets = Fixture.defaultTargets
        (targets[1].name, targets[1].group) = ("Purple 11% of Sergeants", GroupName(ethnicity: "Purple"))
        let r = try ScenarioResults(Fixture.results(targets: targets))
        let (charts, notes) = ScenarioReport.fanCharts(r)
        #expect(!charts.map(\.id).contains("fan-sergeant-purple"))
        #expect(notes == ["Not drawn (the projections have no row for their ranks or group; see the verdict table): Purple 11% of Sergeants."])
        // A group is matched dimension by dimension, never by splitting its words.
        let both = GroupName(ethnicity: "Black", gender: "Female")
        #expect(both.words == "Black Female")
        #expect(r.labels(of: both).map { [$0.ethnicity, $0.gender] } == [.category("Black"), .category("Female")])
        #expect(r.labels(of: GroupName(gender: "Black")) == nil, "Black is an ethnicity, not a gender")
    }

    @Test func aMissingResultFileIsNamed() throws {
        var files = try Fixture.files()
        files["flows.csv"] = nil
        #expect(throws: InputError.self) { try RunResults(decoding: files) }
        #expect(throws: InputError.self) { try ResultFolder(path: "empty", files: [:], description: nil, link: nil) }
    }

    /// The report built in the run's process (from the typed results) and the one `workforce
    /// report` builds from the folder's files are the same page; the files read back are the
    /// values written, to the files' precision.
    @Test func theReportIsTheSameFromMemoryAndFromTheFiles() throws {
        let written = Fixture.results()
        let read = try RunResults(decoding: try Fixture.files())
        #expect(read.manifest == written.manifest)
        #expect(read.targets == written.targets)
        #expect(read.projections.count == written.projections.count && read.flows.count == written.flows.count)
        for (a, b) in zip(read.projections, written.projections) {
            #expect(a.date == b.date && a.rank == b.rank && a.ethnicity == b.ethnicity && a.gender == b.gender)
            #expect(abs(a.share.p95 - b.share.p95) <= 5e-7 && abs(a.headcount.mean - b.headcount.mean) <= 5e-11)
        }
        #expect(read.flows.map(\.flow) == written.flows.map(\.flow))
        let text = ScenarioText(description: "d", assumptions: [])
        let fromMemory = ScenarioReport.files(try ScenarioResults(written), text: text)
        let fromFiles = ScenarioReport.files(try ScenarioResults(read), text: text)
        #expect(fromMemory.map(\.name) == fromFiles.map(\.name))
        for (a, b) in zip(fromMemory, fromFiles) { #expect(a.contents == b.contents, "\(a.name) differs") }
        // A category called "All" is a category; `.all` is the total, whatever the names.
        #expect(read.projections.contains { $0.ethnicity == .aggregate("Minority") })
        #expect(!read.projections.contains { $0.ethnicity == .category("All") })
    }

    // MARK: Analyses

    /// A sweep of `parameters` with one target per name in `targets`; `points[i]` are the inputs'
    /// values and each target's P(met).
    static func sweep(_ parameters: [String], targets: [String], _ points: [(values: [Double], chances: [Double])]) -> SweepFile {
        let definition = SweepDefinition(
            scenario: "s", sha256: "", overrides: [], mode: .monteCarlo, seed: 1, replications: 10, version: "", gslVersion: "",
            design: "grid", samples: nil, parameters: parameters.map { SweepDefinition.Parameter(path: $0, values: []) }, points: points.count)
        let definitions = targets.map {
            TargetsFile.Definition(
                name: $0, shareOf: .officers, group: GroupName(ethnicity: "BAME"), ranks: ["Constable"], comparison: .atLeast, threshold: 0.2, periodStart: nil,
                date: Month(year: 2030, month: 3), denominatorExcludes: [])
        }
        return SweepFile(
            key: definition.key, definition: definition, targets: definitions, shard: nil,
            points: points.enumerated().map { i, p in
                var point = SweepPoint(point: i, values: p.values, [])
                point.targets = zip(targets, p.chances).map { SweepPoint.Verdict(name: $0, threshold: 0.2, probabilityMet: $1, p5: 0.1, p50: 0.2, p95: 0.3) }
                return point
            })
    }

    @Test func analysesAreDrawnFromTheirTypedFiles() throws {
        // As `workforce attribute` makes it: the interaction has no Shapley part; total is the whole change.
        func part(_ name: String, _ mean: Double?, _ p5: Double?, _ p95: Double?, _ one: Double) -> AttributionFile.Component {
            AttributionFile.Component(component: name, shapleyMean: mean, shapleyP5: p5, shapleyP95: p95, oneAtATimeMean: one)
        }
        let attributionFile = AttributionFile(scenario: "s", seed: 1, replications: 10, targets: [
            AttributionFile.Target(target: "T", start: 0.1, endMean: 0.116, components: [
                part("recruitment", 0.02, 0.01, 0.03, 0.021), part("leaving", -0.005, -0.01, 0, -0.004), part("interaction", nil, nil, nil, -0.002),
                part("structure", 0.001, 0, 0.002, 0.001), part("total", 0.016, 0.005, 0.027, 0.016),
            ]),
        ])
        #expect(try ResultJSON.decode(AttributionFile.self, try ResultJSON.encode(attributionFile), file: "a.json") == attributionFile)
        #expect(attributionFile.csv.split(separator: "\n")[3] == "T,interaction,NA,NA,NA,-0.002000,0.100000")
        let attribution = Attribution(attributionFile)
        let entry = try #require(attribution.targets.first)
        #expect(entry.start.value == 0.1)
        let chart = AnalysisCharts.waterfall(target: "T", start: entry.start, parts: entry.parts, threshold: Figure("0.12"), id: "w")
        for label in [">10.0%</text>", ">+2.0 pt</text>", ">−0.5 pt</text>", ">+0.1 pt</text>", ">total +1.6 pt</text>", ">target 12%</text>"] {
            #expect(chart.svg.contains(label), "no \(label)")
        }
        #expect(!chart.svg.contains(">interaction</text>"), "a component without a Shapley part is not a piece of the total")
        #expect(chart.tables[0].rows[2] == ["interaction", "NA", "NA", "NA", "−0.2 pt"])

        func effect(_ rank: Int, _ path: String, _ label: String, _ low: Double, _ high: Double, _ effects: (Double, Double), _ p: (Double, Double)) -> SensitivityFile.Effect {
            SensitivityFile.Effect(
                target: "T", rank: rank, parameter: path, label: label, lowValue: low, highValue: high, baselineMean: 0.2, lowEffect: effects.0,
                highEffect: effects.1, swing: abs(effects.1 - effects.0), lowProbability: p.0, highProbability: p.1)
        }
        let sensitivityFile = SensitivityFile(scenario: "s", method: "relative", change: 0.1, seed: 1, replications: 10, effects: [
            effect(2, "recruitment[0].a", "a", 0.9, 1.1, (-0.001, 0.001), (0.4, 0.6)), effect(1, "recruitment[0].b", "b", 90, 110, (0.004, -0.006), (0.7, 0.3)),
        ])
        #expect(try ResultJSON.decode(SensitivityFile.self, try ResultJSON.encode(sensitivityFile), file: "s.json") == sensitivityFile)
        let tornado = AnalysisCharts.tornado(Sensitivity(sensitivityFile), target: "T", id: "t")
        let b = try #require(tornado.svg.range(of: ">b</text>")), a = try #require(tornado.svg.range(of: ">a</text>"))
        #expect(b.lowerBound < a.lowerBound, "the larger swing comes first")
        #expect(!tornado.svg.contains("recruitment[0]"), "inputs in words, not field paths")
        #expect(tornado.tables[0].rows[1] == ["b", "90", "110", "+0.4 pt", "−0.6 pt", "70.0%", "30.0%"])

        // As `workforce sweep` makes it: the inputs, then each target's verdict.
        let sweepFile = Self.sweep(["a", "b"], targets: ["T", "U"], [([1, 10], [0.5, 0.25])])
        #expect(sweepFile.csv == "point,a,b,T: probability_met,T: p5,T: p50,T: p95,U: probability_met,U: p5,U: p50,U: p95\n0,1,10,0.5000,0.100000,0.200000,0.300000,0.2500,0.100000,0.200000,0.300000\n")
        let sweep = Sweep(sweepFile)
        #expect(sweep.parameters == ["a", "b"])
        #expect(sweep.targets == ["T", "U"])
        #expect(sweep.points.map(\.probability.value) == [0.5, 0.25])

        // A file that is not what the command writes is named, and not shown.
        var files = try Fixture.files()
        files["sensitivity.json"] = #"{"schema": "workforce.sensitivity/1", "scenario": "s", "method": "relative", "change": 0.1, "seed": 1, "replications": 10, "effects": [{"target": "T"}]}"#
        let folder = try ResultFolder(path: "Results/x", files: files, description: nil, link: nil)
        #expect(folder.sensitivity == nil)
        #expect(folder.notes == ["Results/x/sensitivity.json is not shown: no 'effects[0].rank'; expected a file written by workforce."])
    }

    /// Tornado labels keep their subject: long inputs wrap onto two lines, cut only at the end.
    @Test func longInputNamesWrapOntoTwoLines() {
        #expect(AnalysisCharts.wrap("BAME share of recruits into Constable (the planned intake) from Apr 2022", width: 46, lines: 2)
            == ["BAME share of recruits into Constable (the", "planned intake) from Apr 2022"])
        #expect(AnalysisCharts.wrap("short name", width: 46, lines: 2) == ["short name"])
        #expect(AnalysisCharts.wrap("one two three four", width: 9, lines: 2) == ["one two", "three fo…"])
    }

    @Test func heatMapsNeedAGridOfOneOrTwoInputs() throws {
        let three = Sweep(Self.sweep(["a", "b", "c"], targets: ["T"], [([1, 1, 1], [0.5])]))
        guard case .failure(let reason) = AnalysisCharts.heatMap(three, target: "T", id: "h") else { Issue.record("drawn"); return }
        #expect(reason.message.contains("3 inputs"))
        let scattered = Self.sweep(["a", "b"], targets: ["T"], (0..<20).map { i in ([Double(i), Double(i * 7 % 20)], [0.5]) })
        guard case .failure = AnalysisCharts.heatMap(Sweep(scattered), target: "T", id: "h") else { Issue.record("drawn"); return }
        var grid: [(values: [Double], chances: [Double])] = []
        for a in 1...3 { for b in 1...2 { grid.append(([Double(a), Double(b)], [Double(a) / 10 + Double(b) / 100])) } }
        guard case .success(let chart) = AnalysisCharts.heatMap(Sweep(Self.sweep(["a", "b"], targets: ["T"], grid)), target: "T", id: "h") else {
            Issue.record("not drawn")
            return
        }
        #expect(chart.tables[0].rows == [["2", "12.0%", "22.0%", "32.0%"], ["1", "11.0%", "21.0%", "31.0%"]])
        #expect(chart.svg.contains(">32.0%</text>"))
    }

    @Test func comparisonOverlaysTheScenarios() throws {
        let a = try ResultFolder(path: "Results/a", files: try Fixture.files(), description: "First.", link: "../a/report.html")
        var targets = Fixture.defaultTargets
        targets[0].probabilityMet = 0.25
        var results = Fixture.results(targets: targets)
        results.manifest.scenario = "other"
        let other = Dictionary(uniqueKeysWithValues: try results.files().map { ($0.name, $0.contents) })
        let b = try ResultFolder(path: "Results/b", files: other, description: nil, link: nil)
        let files = ComparisonReport.files([a, b])
        let fan = try #require(files.first { $0.name == "compare-all-black.svg" }?.contents)
        #expect(fan.components(separatedBy: "stroke-width=\"2.2\"").count - 1 >= 2)  // two medians (and their legend keys)
        let md = try #require(files.first { $0.name == "report.md" }?.contents)
        #expect(md.contains("| Black 13% of officers | on track: very likely, 97% (95%–98%) | off track: unlikely, 25% (21%–29%) |"))
        #expect(md.contains("All use seed 7"))
        #expect(files.contains { $0.name == "compare-headcount.svg" })
    }

    // MARK: Helpers

    /// The coordinates of the first (or last) element starting with `prefix` whose tag contains `marker`.
    static func points(_ svg: String, after prefix: String, containing marker: String, last: Bool = false) -> [(x: Double, y: Double)]? {
        let lines = svg.split(separator: "\n")
        for line in last ? lines.reversed() : lines where line.hasPrefix(prefix) && line.contains(marker) {
            let list = line.dropFirst(prefix.count).prefix { $0 != "\"" }
            return list.split(separator: " ").compactMap { pair in
                let xy = pair.split(separator: ",").compactMap { Double($0) }
                return xy.count == 2 ? (xy[0], xy[1]) : nil
            }
        }
        return nil
    }

    /// The y of the zero grid line: the `0%` tick label's baseline less its offset (0.35 × 11).
    static func zeroLine(_ svg: String) -> Double? {
        guard let line = svg.split(separator: "\n").first(where: { $0.hasSuffix(">0%</text>") }),
              let y = line.components(separatedBy: "y=\"").dropFirst().first?.prefix(while: { $0 != "\"" })
        else { return nil }
        return Double(y).map { $0 - 11 * 0.35 }
    }
}
