import Foundation
import Testing
@testable import WorkforceReport

/// The whole report of the hand-made fixture, pinned the way swift-argument-parser pins help
/// texts: any change to the page shows up in review as a change to these files.
///
/// To accept an intended change, run the suite with `WORKFORCE_UPDATE_GOLDEN=1` and review the
/// diff of `Tests/WorkforceReportTests/Golden/` before committing it.
@Suite struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: ["report.md", "report.html", "summary.html", "fan-all-black.svg", "rank-pyramid.svg"])
    func fixtureReportIsPinnedWhole(_ name: String) throws {
        let files = ScenarioReport.files(
            try Fixture.scenario(), text: ScenarioText(description: "A hand-made results folder.", assumptions: ["Two ranks.", "Known numbers."]))
        let actual = try #require(files.first { $0.name == name }?.contents, "the report has no \(name)")
        let url = Self.folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["WORKFORCE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false), e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            Issue.record("""
                \(name) differs from Golden/\(name) at line \(line + 1):
                  expected: \(line < e.count ? String(e[line]) : "(end of file)")
                  actual:   \(line < a.count ? String(a[line]) : "(end of file)")
                """)
        }
    }
}
