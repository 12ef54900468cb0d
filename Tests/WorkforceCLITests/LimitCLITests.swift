import Foundation
import Testing
import _WorkforceTestSupport

/// Issue 12's crash reproducers through the binary: `validate` and `run` give the same located
/// message and exit code, and nothing is written.
struct LimitCLITests {
    let example = "Scenarios/example.yaml"
    let table = "Tests/WorkforceDataTests/Resources/ho-officers-extract-2003-2004.csv"

    /// A copy of the example scenario with one piece of text replaced, in a fresh folder.
    private func scenario(replacing old: String, with new: String) throws -> URL {
        let text = try CLI.read(CLI.root.appendingPathComponent(example))
        #expect(text.components(separatedBy: old).count == 2, "'\(old)' must occur once")
        let file = try CLI.temporaryFolder().appendingPathComponent("s.yaml")
        try CLI.write(text.replacingOccurrences(of: old, with: new), to: file)
        return file
    }

    private func expectValidateAndRunAgree(_ file: URL, _ message: String) throws {
        let out = try CLI.temporaryFolder()
        let validate = try CLI.run(["validate", file.path])
        let run = try CLI.run(["run", file.path, "--replications", "2", "--out", out.path])
        for outcome in [validate, run] {
            #expect(outcome.status == 65)
            #expect(outcome.stderr.hasPrefix("\(file.path):\(message)\n"), "\(outcome.stderr)")
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).isEmpty)
    }

    @Test func hugeIntakeAndEstablishment() throws {
        let file = try scenario(replacing: "size: fill                #", with: "size: {per_year: 1e20}    #")
        let lines = try CLI.read(file).components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.contains("per_year: 1e20}") })
        let column = try #require(lines[row].range(of: "1e20")).lowerBound.utf16Offset(in: lines[row]) + 1
        let perYear = row
        try expectValidateAndRunAgree(file, """
            \(perYear + 1):\(column): recruitment[0].size.per_year: 1e+20 is above 2147483647; expected a number of recruits per year from 0 to 2147483647
            """)
    }

    @Test func leavingRateNaNIsABadOption() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["calibrate", table, "--force", "West Midlands", "--out", out.appendingPathComponent("f.yaml").path,
                                   "--leaving-rate", "NaN"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr == "--leaving-rate NaN: expected an annual rate from 0 to below 1, or RANK=RATE\n")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).isEmpty)
    }

    @Test func hugeCountInAHomeOfficeTable() throws {
        let folder = try CLI.temporaryFolder()
        // The sample has Windows line ends (one Character "\r\n" in Swift).
        var lines = try CLI.read(CLI.root.appendingPathComponent(table)).components(separatedBy: "\r\n")
        let row = try #require(lines.firstIndex { $0.contains("West Midlands") && $0.hasPrefix("2003") && $0.contains(",White,White, ") })
        var fields = lines[row].components(separatedBy: ",")
        fields[fields.count - 2] = "99999999999999999999"
        lines[row] = fields.joined(separator: ",")
        let huge = folder.appendingPathComponent("huge.csv")
        try CLI.write(lines.joined(separator: "\r\n"), to: huge)
        let column = fields.dropLast(2).reduce(0) { $0 + $1.count + 1 } + 1
        let expected = "\(huge.path):\(row + 1):\(column): Total (headcount): '99999999999999999999' is not a count; "
            + "expected a number from 0 to 1,000,000,000 (thousands commas allowed) or - for a suppressed cell"
        for arguments in [["import", huge.path, "--force", "West Midlands", "--date", "2003", "--out", folder.appendingPathComponent("i.csv").path],
                          ["calibrate", huge.path, "--force", "West Midlands", "--out", folder.appendingPathComponent("f.yaml").path]] {
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 65)
            #expect(outcome.stderr.hasPrefix(expected), "\(outcome.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["huge.csv"])
    }

    /// A force lacking a rank in one year: the fragment used to hold `{beta: [0, 2, 0, inf]}`
    /// (exit 0), which validate rejects. Every distribution written must now have finite,
    /// positive parameters.
    @Test func calibrateWithARankMissingInOneYear() throws {
        let folder = try CLI.temporaryFolder()
        let lines = try CLI.read(CLI.root.appendingPathComponent(table)).components(separatedBy: "\r\n")
        let missing = folder.appendingPathComponent("missing.csv")
        try CLI.write(lines.filter { !($0.hasPrefix("2004,") && $0.contains(",Chief Inspector,")) }.joined(separator: "\r\n"), to: missing)
        let fragment = folder.appendingPathComponent("f.yaml")
        let outcome = try CLI.run(["calibrate", missing.path, "--force", "West Midlands", "--out", fragment.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let code = try CLI.read(fragment).components(separatedBy: "\n").map { $0.components(separatedBy: " #")[0] }
        #expect(!code.contains { $0.contains("inf") || $0.contains("nan") || $0.contains("NA") })
        for line in code {
            for match in line.matches(of: /beta: \[([^\]]*)\]/) {
                let numbers = match.1.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                #expect(numbers.count >= 2 && numbers[0] > 0 && numbers[1] > 0 && numbers.allSatisfy(\.isFinite), "\(line)")
                if numbers.count == 4 { #expect(numbers[2] < numbers[3], "\(line)") }
            }
        }
    }

    /// An analysis that keeps every replication's record refuses more replications than the
    /// machine's memory holds, before it runs, with the estimate and the option to lower (`run`
    /// summarises as records arrive and holds none, so it has no such limit below the range's).
    @Test func replicationsBeyondMemory() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(["sensitivity", example, "--replications", "10000000", "--out", out.path])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("10000000 replications need about"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Lower the replications (--replications "))
        let tooMany = try CLI.run(["run", example, "--replications", "100000000", "--out", out.path])
        #expect(tooMany.status == 64)
        #expect(tooMany.stderr.contains("--replications 100000000: expected 1 to 10000000."))
    }
}
