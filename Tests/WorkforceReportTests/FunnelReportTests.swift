import Testing
import Workforce
import WorkforceReport
import _WorkforceTestSupport

/// The report's funnel section: the expected numbers through each stage by group, each group's
/// pass rate at each stage, and a chart of the make-up of those still in.
@Suite struct FunnelReportTests {
    /// 1,000 applicants a year, 30% Minority; a written stage passed by 50% of Majority and 25%
    /// of Minority applicants, then an interview passed by 80% of everyone. Majority 700 → 350 →
    /// 280; Minority 300 → 75 → 60: Minority is 30% of applicants, 17.6% after the written stage.
    static func model() -> Model {
        var b = ModelBuilder(years: 2)
        b.dimensions.aggregates = [Aggregate(name: "All minorities", dimension: .ethnicity, members: [1])]
        let funnel = Funnel(applications: Dated(constant: b.parameter(1000)), stages: [
            Funnel.Stage(name: "written", pass: b.parameter(0.5), byGroup: [Funnel.GroupRate(selector: b.selector(ethnicities: [1]), pass: b.parameter(0.25))]),
            Funnel.Stage(name: "interview", pass: b.parameter(0.8)),
        ])
        let intake = Intake(
            rank: 0, size: .allWhoPass, ethnicity: Dated(constant: b.shares([0.7, 0.3])), gender: Dated(constant: b.shares([1])), funnel: funnel)
        let leaving = b.uniformLeaving(0.05)
        return b.model(leaving: leaving, intakes: [intake])
    }

    @Test func showsWhereEachGroupIsLost() throws {
        let figures = FunnelFigures.expected(Self.model())
        #expect(figures.count == 1)
        let f = try #require(figures.first)
        #expect(f.stages == ["Applications", "written", "interview"])
        #expect(f.groups == ["Majority", "Minority", "All minorities"])
        #expect(f.counts.map { $0.map { ($0 * 1e6).rounded() / 1e6 } } == [[700, 300, 300], [350, 75, 75], [280, 60, 60]])

        let files = ScenarioReport.files(try ScenarioResults(Fixture.results()), text: ScenarioText(description: "", assumptions: [], funnels: figures))
        let markdown = files[1].contents
        #expect(markdown.contains("## The recruitment funnel"))
        #expect(markdown.contains("| written | 425 | 350 (82.4%) | 75 (17.6%) | 75 (17.6%) |"), "\(markdown)")
        #expect(markdown.contains("| written | 42.5% | 50.0% | 25.0% | 25.0% |"))
        #expect(markdown.contains("| interview | 80.0% | 80.0% | 80.0% | 80.0% |"))
        #expect(markdown.contains("| Applicant to recruit | 34.0% | 40.0% | 20.0% | 20.0% |"))
        let svg = try #require(files.first { $0.name == "funnel-1.svg" }).contents
        #expect(svg.contains(">All minorities 17.6%</text>") && svg.contains(">All minorities 30.0%</text>"))
        // Bars in proportion to the numbers in: the 340 recruits 0.34 of the 1,000 applications' width.
        func barLength(_ y: String) -> Double {
            svg.split(separator: "\n").filter { $0.hasPrefix("<rect x=") && $0.contains(" y=\"\(y)\"") && $0.contains("height=\"26\"") }
                .compactMap { line in line.split(separator: "\"").dropFirst(5).first.flatMap { Double($0) } }.reduce(0, +)
        }
        #expect(barLength("56") > 400 && abs(barLength("136") / barLength("56") - 0.34) < 0.002, "\(barLength("56")) \(barLength("136"))")
        #expect(files[0].contents.contains("id=\"funnel\""))
        // Without funnels there is no section.
        let plain = ScenarioReport.files(try ScenarioResults(Fixture.results()), text: ScenarioText(description: "", assumptions: []))
        #expect(!plain[1].contents.contains("recruitment funnel"))
    }
}
