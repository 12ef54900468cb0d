import Foundation
import Testing
import _WorkforceTestSupport

/// Transfers out through the command line: flows.csv rows of their own, the report's flow chart,
/// expected-value mode; and a zero rate leaves every file as it was.
@Suite struct TransfersOutCLITests {
    /// example.yaml with a transfers-out table of `rates` (Constable, Sergeant, Inspector; two
    /// bands) and a retention intervention on them appended after its own.
    static func scenario(rates: [Double], in folder: URL) throws -> String {
        var text = try CLI.read(URL(fileURLWithPath: "Scenarios/example.yaml"))
        let table = """
            transfers_out:
              bands: ["0-1", "2+"]
              rates:
                Constable: [\(rates[0]), \(rates[1])]
                Sergeant: [\(rates[1]), \(rates[1])]
                Inspector: [\(rates[1]), \(rates[1])]
              multipliers:
                - {ethnicities: BAME, factor: 1.3}

            """
        text = text.replacingOccurrences(of: "\nestablishment:", with: "\n" + table + "establishment:")
        text = text.replacingOccurrences(of: "\ntargets:\n", with: "\n  - {name: Retention bonus, from: 2025-04, ranks: Constable, transfers_out: 0.5}\n\ntargets:\n")
        let path = folder.appendingPathComponent("example.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    static func run(_ scenario: String, _ out: URL, _ extra: [String] = []) throws -> URL {
        let outcome = try CLI.run(["run", scenario, "--replications", "30", "--out", out.path, "--quiet"] + extra)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return out.appendingPathComponent(extra.contains("--expected") ? "example-expected" : "example")
    }

    @Test func transfersAreRecordedAndReportedApart() throws {
        let folder = try CLI.temporaryFolder()
        let with = try Self.run(Self.scenario(rates: [0.02, 0.04], in: folder), folder.appendingPathComponent("with"))
        let flows = try PerReplicationTests.rows(with.appendingPathComponent("flows.csv"))
        let all = flows.filter { $0["rank"] == "All" && $0["ethnicity"] == "All" && $0["gender"] == "All" }
        let transfers = all.filter { $0["flow"] == "transfers_out" }
        #expect(transfers.count == 9 && transfers.allSatisfy { Double($0["mean"]!)! > 0 })
        #expect(Set(all.map { $0["flow"]! }) == ["joiners", "leavers", "promotions", "transfers_out"])
        let chart = try CLI.read(with.appendingPathComponent("flows-by-group.svg"))
        #expect(chart.contains("Transfers out by ethnicity") && chart.contains("Transfers out by gender"))
        #expect(try CLI.read(with.appendingPathComponent("report.md")).contains("## Joiners, leavers, promotions and transfers out"))

        // Expected-value mode: one real-valued projection, no spread.
        let expected = try Self.run(Self.scenario(rates: [0.02, 0.04], in: folder), folder.appendingPathComponent("expected"), ["--expected"])
        let projected = try PerReplicationTests.rows(expected.appendingPathComponent("flows.csv"))
            .filter { $0["flow"] == "transfers_out" && $0["rank"] == "All" && $0["ethnicity"] == "All" && $0["gender"] == "All" }
        #expect(projected.count == 9 && projected.allSatisfy { Double($0["mean"]!)! > 0 && $0["p5"] == $0["p95"] })
    }

    /// A zero rate: projections.csv and targets.csv are byte for byte as without transfers, and
    /// flows.csv is too once its (zero) transfers_out rows are left out.
    @Test func zeroTransfersChangeNoFile() throws {
        let folder = try CLI.temporaryFolder()
        let plain = try Self.run("Scenarios/example.yaml", folder.appendingPathComponent("plain"))
        let zero = try Self.run(Self.scenario(rates: [0, 0], in: folder), folder.appendingPathComponent("zero"))
        for name in ["projections.csv", "targets.csv"] {
            #expect(try CLI.read(plain.appendingPathComponent(name)) == CLI.read(zero.appendingPathComponent(name)), "\(name)")
        }
        let zeroFlows = try CLI.read(zero.appendingPathComponent("flows.csv")).split(separator: "\n")
        let transfers = zeroFlows.filter { $0.contains(",transfers_out,") }
        #expect(!transfers.isEmpty && transfers.allSatisfy { $0.hasSuffix(",0.000,0.000,0.000,0.000") })
        #expect(try CLI.read(plain.appendingPathComponent("flows.csv")).split(separator: "\n") == zeroFlows.filter { !$0.contains(",transfers_out,") })
        #expect(!(try CLI.read(plain.appendingPathComponent("flows-by-group.svg")).contains("Transfers out")))
    }
}
