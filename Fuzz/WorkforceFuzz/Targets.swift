import WorkforceFormats
import Foundation
import WorkforceCLI
import WorkforceData
import WorkforceScenario

/// The fuzz targets (issue 12): any bytes must give a result or diagnostics, never a trap.
enum Target: String, CaseIterable {
    /// The scenario loader: a model, or diagnostics each on one line in the
    /// `file:line:column: path: message` form without control characters.
    case scenario
    /// The Home Office table reader and what `import` and `calibrate` do with a table:
    /// snapshots, initial rows, a calibration and its fragment, or a `InputError`.
    case table
    /// `calibrate` with intake pooling on one to three tables, separated by a line `----`, then
    /// evaluate's data path (`FuzzEntry.calibrate`).
    case calibrate
    /// `solve` and `sweep` option strings, one a line: the first line `solve` or `sweep` (else
    /// `sweep`), then the arguments after the scenario (`FuzzEntry.options`).
    case options

    func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        switch self {
        case .scenario: Self.scenario(text)
        case .table: Self.table(text)
        case .calibrate: FuzzEntry.calibrate(tables: text.components(separatedBy: "\n----\n"))
        case .options: Self.options(text)
        }
    }

    private static func options(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let command = lines.first == "solve" ? "solve" : "sweep"
        if lines.first == "solve" || lines.first == "sweep" { lines.removeFirst() }
        FuzzEntry.options([command, "Scenarios/example.yaml"] + lines)
    }

    private static func scenario(_ text: String) {
        do {
            _ = try ScenarioLoader.parse(text: text, file: "f.yaml", directory: "/nonexistent")
        } catch {
            for diagnostic in error.diagnostics {
                let line = diagnostic.description
                precondition(line.hasPrefix("f.yaml") || line.hasPrefix("/nonexistent"), "diagnostic outside the file: \(line)")
                precondition(!line.unicodeScalars.contains { $0.properties.generalCategory == .control }, "control character in: \(line)")
            }
        }
    }

    private static func table(_ text: String) {
        guard let table = try? HomeOfficeTable(parsing: text, file: "t.csv") else { return }
        for force in table.forces.prefix(2) {
            let years = Set(table.rows.filter { $0.force == force }.map(\.year)).sorted()
            var snapshots: [ForceSnapshot] = []
            for year in years.prefix(3) {
                guard let snapshot = try? table.snapshot(force: force, year: year, measure: .headcount, mapping: .homeOffice) else { continue }
                _ = try? snapshot.initialRows(service: .metDecember2021)
                snapshots.append(snapshot)
            }
            let consecutive = zip(snapshots, snapshots.dropFirst()).allSatisfy { $1.year == $0.year + 1 }
            guard snapshots.count >= 2, consecutive, snapshots.allSatisfy({ $0.categories == snapshots[0].categories }) else { continue }
            let calibration = Calibration(
                categories: snapshots[0].categories, years: snapshots.map(\.year), snapshots: snapshots.map(\.counts),
                assumedLeaving: Array(repeating: 0.06, count: snapshots[0].categories.ranks.count))
            _ = calibration.fragment(source: "t.csv")
            _ = calibration.estimatesCSV()
        }
    }

    /// The target named by `WORKFORCE_FUZZ_TARGET` (scenario or table).
    static var selected: Target {
        let name = ProcessInfo.processInfo.environment["WORKFORCE_FUZZ_TARGET"] ?? ""
        guard let target = Target(rawValue: name) else {
            fatalError("WORKFORCE_FUZZ_TARGET='\(name)'; expected one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }
}
