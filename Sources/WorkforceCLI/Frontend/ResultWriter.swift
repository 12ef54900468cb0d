import WorkforceFormats
import Foundation
import Workforce
import WorkforceAnalysis
import WorkforceData
import WorkforceReport
import WorkforceResults
import WorkforceScenario

/// Writes a scenario's results folder: every file is written into a hidden temporary folder
/// that replaces the old results by rename only once all are complete, so a reader never sees a
/// partial set.
enum ResultWriter {
    /// The manifest of a run of `scenario` with `options` that took `wallTime` seconds from `startedAt`.
    static func manifest(
        scenario: LoadedScenario, options: Engine.Options, wallTime: Double, startedAt: Date
    ) -> RunManifest {
        var manifest = RunManifest(
            scenario: scenario.model.name, file: scenario.file, sha256: scenario.sha256,
            mode: RunManifest.Mode(expected: options.expected), seed: options.seed,
            replications: options.expected ? 1 : options.replications, threads: options.threads,
            version: Version.current, gslVersion: Engine.gslVersion, started: ISO8601DateFormatter().string(from: startedAt),
            wallTimeSeconds: (wallTime * 1000).rounded() / 1000, initial: RunManifest.Initial(scenario.model),
            rankAggregates: scenario.model.dimensions.rankAggregates.isEmpty ? nil : scenario.model.dimensions.rankAggregates.map { a in
                RunManifest.RankGroup(name: a.name, ranks: a.members.map { scenario.model.dimensions.ranks[$0] })
            }, headcount: HeadcountAssumption(scenario.model))
        manifest.title = scenario.model.title
        return manifest
    }

    /// `moving`: files already written elsewhere (streamed per-replication results) that join the folder.
    static func write(
        _ summary: Summary, model: Model, bounds: [Attainability.Bound], manifest: RunManifest, to folder: String,
        moving: [(name: String, path: String)] = []
    ) throws {
        let results = RunResults(
            manifest: manifest, projections: summary.projections, flows: summary.flows,
            targets: TargetsFile(summary, model, bounds: bounds), bases: summary.bases.map(\.excluded))
        var files = try results.files() + [("initial.csv", initial(model))]
        files += try ReportFrontend.scenarioFiles(results, model: model)  // report.html, report.md, *.svg
        // results.xlsx: libxlsxwriter writes to a path, so it is written into a hidden folder
        // beside the results and moved in with the other files (as per-replication files are).
        let staging = try AtomicWriter.stagingFolder(for: folder, kind: "xlsx")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let workbook = "\(staging)/\(Workbook.fileName)"
        try Workbook.write(results, to: workbook)
        try AtomicWriter.replaceFolder(folder, owner: .run, with: files, moving: moving + [(Workbook.fileName, workbook)]) { !isRunOutput($0) }
    }

    /// Whether a file in a results folder is one a run writes (its result files, report,
    /// charts and per-replication files), as opposed to another command's (backtest.csv, …),
    /// which a later run keeps.
    static func isRunOutput(_ name: String) -> Bool {
        (RunResults.requiredFiles + ["targets.csv", "initial.csv", "report.html", "report.md", Workbook.fileName] + ReplicationWriter.files).contains(name)
            || name.hasSuffix(".svg")
    }

    /// initial.csv: the initial headcount by rank, ethnicity, gender and years of service (cells
    /// with officers only).
    static func initial(_ model: Model) -> String {
        let d = model.dimensions
        var rows: [[String]] = []
        for r in d.ranks.indices {
            for e in d.ethnicities.indices {
                for g in d.genders.indices {
                    for s in 0..<d.maxService {
                        let n = model.initial[d.cell(r, d.group(e, g), s)]
                        if n > 0 { rows.append([d.ranks[r], d.ethnicities[e], d.genders[g], String(s), String(n)]) }
                    }
                }
            }
        }
        return CSVWriter.table(["rank", "ethnicity", "gender", "service", "headcount"], rows)
    }
}
