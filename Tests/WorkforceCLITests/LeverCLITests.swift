import Foundation
import Testing
import _WorkforceTestSupport

/// End-to-end: `workforce levers`, and `--lever` in run, sweep and solve giving what the same
/// change written by hand (`--set`, `--vary`) gives.
@Suite struct LeverCLITests {
    let example = "Scenarios/example.yaml"

    private func pinned(_ name: String) throws -> String {
        try CLI.read(CLI.root.appendingPathComponent("Tests/WorkforceCLITests/Resources/levers/\(name)"))
    }

    @Test func leversListsTheLeversAndEveryInput() throws {
        let text = try CLI.run(["levers", example])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.isEmpty)
        #expect(text.stdout == (try pinned("example.txt")), "workforce levers changed; review it and update Resources/levers/example.txt")
        let json = try CLI.run(["levers", example, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout == (try pinned("example.json")), "workforce levers --json changed; review it and update Resources/levers/example.json")
    }

    @Test func leversReportsAProblemInTheSectionAndExits65() throws {
        let folder = try CLI.temporaryFolder()
        let file = folder.appendingPathComponent("bad.yaml")
        let text = try CLI.read(CLI.root.appendingPathComponent(example))
        try CLI.write(text.replacingOccurrences(of: "    range: [0, 0.3]\n    step: 0.01\n", with: "    range: [0.1, 0.3]\n    step: 0\n"), to: file)
        let outcome = try CLI.run(["levers", file.path])
        #expect(outcome.status == 65)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(outcome.stderr)")
        #expect(lines[0].hasSuffix("levers[0].range: [0.1, 0.3] does not contain the current value 0.08; expected a range that contains it"), "\(lines)")
        #expect(lines[1].hasSuffix("levers[0].step: 0 is not above 0; expected the step between the values offered, > 0"), "\(lines)")
        #expect(lines[2] == "2 problems in \(file.path); nothing was listed.")
    }

    /// `run --lever` and `run --set` of the same number: identical results, file for file.
    @Test func runWithALeverEqualsTheSameChangeBySet() throws {
        let out = try CLI.temporaryFolder()
        let lever = try CLI.run(["run", example, "--expected", "--no-bounds", "--quiet", "--out", out.appendingPathComponent("lever").path,
                                 "--lever", "black-recruit-share=0.12", "--lever", "bame-leaving=1.5"])
        #expect(lever.status == 0, "\(lever.stderr)")
        // The uniform [1.05, 1.25] shifted to centre 1.5 keeps its width.
        let set = try CLI.run(["run", example, "--expected", "--no-bounds", "--quiet", "--out", out.appendingPathComponent("set").path,
                               "--set", "recruitment[0].ethnicity[1].shares.Black=0.12", "--set", "leaving.multipliers[0].factor={uniform: [1.4, 1.6]}"])
        #expect(set.status == 0, "\(set.stderr)")
        let plain = try CLI.run(["run", example, "--expected", "--no-bounds", "--quiet", "--out", out.appendingPathComponent("plain").path])
        #expect(plain.status == 0, "\(plain.stderr)")
        for name in ["projections.csv", "flows.csv", "targets.csv"] {
            let a = try CLI.read(out.appendingPathComponent("lever/example-expected/\(name)"))
            #expect(a == (try CLI.read(out.appendingPathComponent("set/example-expected/\(name)"))), "\(name)")
        }
        // And the levers did move something.
        #expect((try CLI.read(out.appendingPathComponent("lever/example-expected/projections.csv")))
                != (try CLI.read(out.appendingPathComponent("plain/example-expected/projections.csv"))))
    }

    @Test func aBadLeverSettingIsLocatedAndExits65() throws {
        let outcome = try CLI.run(["run", example, "--expected", "--lever", "black-recruit-share=0.9", "--lever", "bame-leavin=1"])
        #expect(outcome.status == 65)
        #expect(outcome.stderr == """
            <--lever black-recruit-share=0.9>: 0.9 is outside the lever's range 0...0.3; expected a value in it (Black share of recruits from April 2022)
            <--lever bame-leavin=1>: unknown lever 'bame-leavin' in Scenarios/example.yaml (did you mean 'bame-leaving'?); expected one of: black-recruit-share, asian-recruit-share, bame-leaving, sergeant-promotion-odds, inspector-establishment
            2 problems in 2 files; nothing was run.

            """)
        let malformed = try CLI.run(["validate", example, "--lever", "bame-leaving"])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.hasPrefix("<--lever bame-leaving>: no NAME=; expected NAME=VALUE, e.g. bame-recruit-share=0.45\n"), "\(malformed.stderr)")
    }

    /// `sweep --lever` and `sweep --vary` over the same inputs: the same points, row for row.
    @Test func sweepOverALeverEqualsSweepingItsPath() throws {
        let out = try CLI.temporaryFolder()
        let lever = try CLI.run(["sweep", example, "--expected", "--quiet", "--out", out.appendingPathComponent("lever").path,
                                 "--lever", "asian-recruit-share=0.1:0.3:0.1", "--lever", "bame-leaving=1,1.5"])
        #expect(lever.status == 0, "\(lever.stderr)")
        let vary = try CLI.run(["sweep", example, "--expected", "--quiet", "--out", out.appendingPathComponent("vary").path,
                                "--vary", "recruitment[0].ethnicity[1].shares.Asian=0.1:0.3:0.1", "--vary", "leaving.multipliers[0].factor=1,1.5"])
        #expect(vary.status == 0, "\(vary.stderr)")
        // Each in its folder in --out, as every command writes.
        let a = try CLI.read(out.appendingPathComponent("lever/example-sweep-expected/sweep.csv")).split(separator: "\n")
        let b = try CLI.read(out.appendingPathComponent("vary/example-sweep-expected/sweep.csv")).split(separator: "\n")
        #expect(a.count == 7)
        #expect(a.first?.hasPrefix("point,asian-recruit-share,bame-leaving,") == true)
        #expect(a.dropFirst() == b.dropFirst())
        let json = try CLI.read(out.appendingPathComponent("lever/example-sweep-expected/sweep.json"))
        #expect(json.contains("\"lever\" : true"))
        #expect(!(try CLI.read(out.appendingPathComponent("vary/example-sweep-expected/sweep.json"))).contains("\"lever\""))
    }

    /// `solve --lever NAME` searches the lever's range and finds what `--vary` of its path finds.
    @Test func solveOverALeverEqualsSolvingItsPath() throws {
        let out = try CLI.temporaryFolder()
        let target = "BAME 28% of officers by 2030"
        let lever = try CLI.run(["solve", example, "--expected", "--quiet", "--json", "--target", target, "--probability", "0.5",
                                 "--out", out.appendingPathComponent("lever").path, "--lever", "asian-recruit-share"])
        #expect(lever.status == 0, "\(lever.stderr)")
        let vary = try CLI.run(["solve", example, "--expected", "--quiet", "--json", "--target", target, "--probability", "0.5",
                                "--out", out.appendingPathComponent("vary").path, "--vary", "recruitment[0].ethnicity[1].shares.Asian", "--range", "0:0.5"])
        #expect(vary.status == 0, "\(vary.stderr)")
        func answer(_ text: String) throws -> (value: Double, range: [Double], inputs: [String]) {
            let file = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return (try #require(file["value"] as? Double), try #require(file["range"] as? [Double]), file["inputs"] as? [String] ?? [])
        }
        let a = try answer(lever.stdout), b = try answer(vary.stdout)
        #expect(a.value == b.value)
        #expect(a.range == [0, 0.5])
        #expect(a.inputs == ["Asian share of recruits from April 2022"])
        #expect(a.value > 0.2 && a.value < 0.5)
        // A range outside the lever's is refused before anything runs.
        let outside = try CLI.run(["solve", example, "--expected", "--target", target, "--out", out.path, "--lever", "asian-recruit-share=0:0.9"])
        #expect(outside.status == 65)
        #expect(outside.stderr == "--lever 'asian-recruit-share=0:0.9': 0.0:0.9 goes outside the lever's range 0.0:0.5; expected a range within it\n")
    }
}
