import Foundation
import Testing
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
        let short = try #require(throws: ResultsError.self) { try ResultTable("a,b\n1,2,3\n", file: "t.csv") }
        #expect(short.description == "t.csv: line 2: found 3 fields; expected 2, as in the header")
        let error = try #require(throws: ResultsError.self) { try table.column("d") }
        #expect(error.description == "t.csv: no column 'd'; the header is a,b,c")
    }

    @Test func verdictsQuoteTheResultFiles() throws {
        let r = try Fixture.scenario()
        let table = ScenarioReport.verdicts(r)
        #expect(table.rows[0] == [
            "Black 13% of officers", "Black at least 13% of officers (all ranks) by Dec 2022", "97.3%", "very likely",
            "14.0% (12.0%–16.0%)", "2022 (60.0%)", "15.0%",
        ])
        #expect(table.rows[1][3] == "about even")
        #expect(table.rows[2][1] == "Female at least 35% of recruits into Constable from Jan 2021 to Dec 2021")
        #expect(table.rows[2][3] == "very unlikely")
        #expect(table.rows[2][5] == "never within the run")
        #expect(table.rowClasses == ["band-very-likely", "band-about-even", "band-very-unlikely"])
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
        #expect(names.prefix(2) == ["report.html", "report.md"])
        let svgs = files.filter { $0.name.hasSuffix(".svg") }
        #expect(svgs.count == 6)  // three fans, headcount, flows, pyramid
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
        (targets[1].name, targets[1].group) = ("Purple 11% of Sergeants", "Purple")
        let r = try ScenarioResults(Fixture.results(targets: targets))
        let (charts, notes) = ScenarioReport.fanCharts(r)
        #expect(!charts.map(\.id).contains("fan-sergeant-purple"))
        #expect(notes == ["Not drawn (the projections have no row for their ranks or group; see the verdict table): Purple 11% of Sergeants."])
    }

    @Test func aMissingResultFileIsNamed() throws {
        var files = try Fixture.files()
        files["flows.csv"] = nil
        #expect(throws: ResultsError.self) { try RunResults(decoding: files) }
        #expect(throws: ResultsError.self) { try ResultFolder(path: "empty", files: [:], description: nil, link: nil) }
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

    @Test func analysisFilesAreReadByColumnName() throws {
        // As `workforce attribute` writes it: the interaction has no Shapley part; total is the whole change.
        let attribution = try Attribution(csv: """
            target,component,shapley_mean,shapley_p5,shapley_p95,one_at_a_time_mean,start
            T,recruitment,0.020000,0.010000,0.030000,0.021000,0.100000
            T,leaving,-0.005000,-0.010000,0.000000,-0.004000,0.100000
            T,interaction,NA,NA,NA,-0.002000,0.100000
            T,structure,0.001000,0.000000,0.002000,0.001000,0.100000
            T,total,0.016000,0.005000,0.027000,0.016000,0.100000

            """)
        let entry = try #require(attribution.targets.first)
        #expect(entry.start.text == "0.100000")
        let chart = AnalysisCharts.waterfall(target: "T", start: entry.start, parts: entry.parts, threshold: Figure("0.12"), id: "w")
        for label in [">10.0%</text>", ">+2.0 pt</text>", ">−0.5 pt</text>", ">+0.1 pt</text>", ">total +1.6 pt</text>", ">target 12%</text>"] {
            #expect(chart.svg.contains(label), "no \(label)")
        }
        #expect(!chart.svg.contains(">interaction</text>"), "a component without a Shapley part is not a piece of the total")
        #expect(chart.tables[0].rows[2] == ["interaction", "NA", "NA", "NA", "−0.2 pt"])

        let sensitivity = try Sensitivity(csv: """
            target,rank,parameter,low_value,high_value,baseline_mean,low_effect,high_effect,swing,low_probability,high_probability
            T,2,a,0.9,1.1,0.200000,-0.001000,0.001000,0.002000,0.4000,0.6000
            T,1,b,90.000000,110.000000,0.200000,0.004000,-0.006000,0.010000,0.7000,0.3000

            """)
        let tornado = AnalysisCharts.tornado(sensitivity, target: "T", id: "t")
        let b = try #require(tornado.svg.range(of: ">b</text>")), a = try #require(tornado.svg.range(of: ">a</text>"))
        #expect(b.lowerBound < a.lowerBound, "the larger swing comes first")
        #expect(tornado.tables[0].rows[1] == ["b", "90", "110", "+0.4 pt", "−0.6 pt", "70.0%", "30.0%"])

        // As `workforce sweep` writes it: the inputs, then four columns per target.
        let sweep = try Sweep(csv: "point,a,b,T: probability_met,T: p5,T: p50,T: p95,U: probability_met,U: p5,U: p50,U: p95\n0,1,10,0.5000,0.1,0.2,0.3,0.2500,0.1,0.2,0.3\n")
        #expect(sweep.parameters == ["a", "b"])
        #expect(sweep.targets == ["T", "U"])
        #expect(sweep.points.map(\.probability.text) == ["0.5000", "0.2500"])

        var files = try Fixture.files()
        files["sensitivity.csv"] = "target,parameter,low_effect,high_effect\nT,x,0.1,0.2\n"
        let folder = try ResultFolder(path: "Results/x", files: files, description: nil, link: nil)
        #expect(folder.sensitivity == nil)
        #expect(folder.notes == ["Results/x/sensitivity.csv is not shown: no column 'low_value'; the header is target,parameter,low_effect,high_effect."])
    }

    @Test func heatMapsNeedAGridOfOneOrTwoInputs() throws {
        let three = try Sweep(csv: "point,a,b,c,T: probability_met\n0,1,1,1,0.5\n")
        guard case .failure(let reason) = AnalysisCharts.heatMap(three, target: "T", id: "h") else { Issue.record("drawn"); return }
        #expect(reason.message.contains("3 inputs"))
        var scattered = "point,a,b,T: probability_met\n"
        for i in 0..<20 { scattered += "\(i),\(i),\(i * 7 % 20),0.5\n" }
        guard case .failure = AnalysisCharts.heatMap(try Sweep(csv: scattered), target: "T", id: "h") else { Issue.record("drawn"); return }
        var grid = "point,a,b,T: probability_met\n"
        for a in 1...3 { for b in 1...2 { grid += "\(a * 2 + b),\(a),\(b),0.\(a)\(b)00\n" } }
        guard case .success(let chart) = AnalysisCharts.heatMap(try Sweep(csv: grid), target: "T", id: "h") else { Issue.record("not drawn"); return }
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
        #expect(md.contains("| Black 13% of officers | 97.3% (very likely) | 25.0% (unlikely) |"))
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
