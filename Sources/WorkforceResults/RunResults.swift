import WorkforceFormats
import Workforce

/// One run's results, typed: what `workforce run` writes into its folder (projections.csv,
/// flows.csv, targets.csv, targets.json, manifest.json) and what the report shows. The writer
/// renders these values (`files`) and the report takes them directly when built in the same
/// process; `workforce report` reads a folder back into the same values (`init(decoding:)`).
///
/// The files keep means to 10 decimals and quantiles to 3 (counts) or 6 (shares), so values read
/// back equal the written ones to that precision.
package struct RunResults: Sendable {
    package var manifest: RunManifest
    /// Headcount and share by date × rank × ethnicity × gender, categories, aggregates and all.
    package var projections: [ProjectionRow]
    /// Each simulation year's flows (every `Flow`) by the same labels.
    package var flows: [FlowRow]
    package var targets: TargetsFile
    /// The categories each other denominator basis leaves out (`Summary.bases`): every
    /// projection row has a share on each, in this order.
    package var bases: [[String]]

    package init(manifest: RunManifest, projections: [ProjectionRow], flows: [FlowRow], targets: TargetsFile, bases: [[String]] = []) {
        self.manifest = manifest
        self.projections = projections
        self.flows = flows
        self.targets = targets
        self.bases = bases
    }

    /// The column-name prefix of a basis's shares in projections.csv: `share_excl_not_stated_`
    /// for a basis leaving out "Not stated" (names lower case, other than letters and digits `_`,
    /// several joined by `_`).
    package static func basisPrefix(_ excluded: [String]) -> String {
        let slug = excluded.map { name in
            String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        }.joined(separator: "_")
        return "share_excl_\(slug)_"
    }

    /// The files a results folder must have to be read back.
    package static let requiredFiles = ["projections.csv", "flows.csv", "targets.json", "manifest.json"]

    /// The result files, name → contents (targets.csv beside targets.json, for spreadsheets).
    package func files() throws -> [(name: String, contents: String)] {
        [
            ("projections.csv", projectionsCSV), ("flows.csv", flowsCSV), ("targets.csv", targets.csv),
            ("targets.json", try ResultJSON.encode(targets)), ("manifest.json", try ResultJSON.encode(manifest)),
        ]
    }

    /// Means get 10 decimals (so two runs' means compare at 1e-9), quantiles 3 (headcounts) or
    /// 6 (shares); `NA` where undefined. Then the share on each other basis, its columns named
    /// by `basisPrefix`.
    package var projectionsCSV: String {
        CSVWriter.table(
            ["date", "rank", "ethnicity", "gender"] + Self.stats.map { "headcount_\($0)" } + Self.stats.map { "share_\($0)" }
                + bases.flatMap { basis in Self.stats.map { Self.basisPrefix(basis) + $0 } },
            projections.map { row in
                [row.date.description, row.rank.name, row.ethnicity.name, row.gender.name]
                    + Self.fields(row.headcount, 3) + Self.fields(row.share, 6) + row.basisShares.flatMap { Self.fields($0, 6) }
            })
    }

    /// One row per year end × flow × labels: the mean and quantiles to 3 decimals.
    package var flowsCSV: String {
        CSVWriter.table(
            ["year_end", "flow", "rank", "ethnicity", "gender", "mean", "p5", "p50", "p95"],
            flows.map { row in
                [row.yearEnd.description, row.flow.name, row.rank.name, row.ethnicity.name, row.gender.name]
                    + [row.count.mean, row.count.p5, row.count.p50, row.count.p95].map { CSVWriter.number($0, 3) }
            })
    }

    private static let stats = ["mean", "p5", "p25", "p50", "p75", "p95"]

    private static func fields(_ q: Quantiles, _ decimals: Int) -> [String] {
        [CSVWriter.number(q.mean, 10)] + [q.p5, q.p25, q.p50, q.p75, q.p95].map { CSVWriter.number($0, decimals) }
    }
}

extension RunResults {
    /// Reads a results folder's files, given as name → contents. Every problem names its file
    /// (and line, for the CSVs). Quantiles read back carry `count` = the run's replications (the
    /// files do not keep how many replications had the quantity defined).
    package init(decoding files: [String: String]) throws(InputError) {
        for name in Self.requiredFiles where files[name] == nil {
            throw InputError(file: name, "missing; a results folder written by `workforce run` has it")
        }
        manifest = try ResultJSON.decode(RunManifest.self, files["manifest.json"]!, file: "manifest.json")
        targets = try ResultJSON.decode(TargetsFile.self, files["targets.json"]!, file: "targets.json")
        let (ranks, ethnicities, genders) = manifest.categories
        let replications = manifest.replications
        func label(_ name: String, _ categories: [String]) -> Label {
            categories.contains(name) ? .category(name) : name == Label.allName ? .all : .aggregate(name)
        }
        func number(_ text: String) -> Double { Double(text) ?? .nan }

        let p = try ResultTable(files["projections.csv"]!, file: "projections.csv")
        let c = try (["date", "rank", "ethnicity", "gender"] + Self.stats.map { "headcount_\($0)" } + Self.stats.map { "share_\($0)" })
            .map { name throws(InputError) in try p.column(name) }
        // Each other basis: the excluded names of the target whose denominator it is.
        let excludes = targets.targets.map(\.denominatorExcludes).filter { !$0.isEmpty }
        bases = []
        var basisColumns: [Int] = []
        for name in p.header where name.hasPrefix("share_excl_") && name.hasSuffix("_mean") {
            guard let basis = excludes.first(where: { Self.basisPrefix($0) + "mean" == name }) else {
                throw InputError(file: "projections.csv", "column '\(name)' names a basis that no target in targets.json has")
            }
            bases.append(basis)
            basisColumns += try Self.stats.map { stat throws(InputError) in try p.column(Self.basisPrefix(basis) + stat) }
        }
        let columns = c + basisColumns
        func quantiles(_ row: [String], _ at: Int) -> Quantiles {
            let x = (0..<6).map { number(row[columns[at + $0]]) }
            return Quantiles(count: replications, mean: x[0], p5: x[1], p25: x[2], p50: x[3], p75: x[4], p95: x[5])
        }
        projections = try p.rows.enumerated().map { i, row throws(InputError) in
            ProjectionRow(
                date: try Self.month(row[c[0]], file: "projections.csv", line: i + 2), rank: label(row[c[1]], ranks),
                ethnicity: label(row[c[2]], ethnicities), gender: label(row[c[3]], genders),
                headcount: quantiles(row, 4), share: quantiles(row, 10),
                basisShares: (0..<basisColumns.count / 6).map { quantiles(row, 16 + 6 * $0) })
        }
        guard !projections.isEmpty else { throw InputError(file: "projections.csv", "no rows") }

        let f = try ResultTable(files["flows.csv"]!, file: "flows.csv")
        let fc = try ["year_end", "flow", "rank", "ethnicity", "gender", "mean", "p5", "p50", "p95"]
            .map { name throws(InputError) in try f.column(name) }
        flows = try f.rows.enumerated().map { i, row throws(InputError) in
            guard let flow = Flow.allCases.first(where: { $0.name == row[fc[1]] }) else {
                throw InputError(
                    file: "flows.csv",
                    "line \(i + 2): unknown flow '\(row[fc[1]])'; expected one of \(Flow.allCases.map(\.name).joined(separator: ", "))")
            }
            let (mean, p5, p50, p95) = (number(row[fc[5]]), number(row[fc[6]]), number(row[fc[7]]), number(row[fc[8]]))
            return FlowRow(
                yearEnd: try Self.month(row[fc[0]], file: "flows.csv", line: i + 2), flow: flow, rank: label(row[fc[2]], ranks),
                ethnicity: label(row[fc[3]], ethnicities), gender: label(row[fc[4]], genders),
                count: Quantiles(count: replications, mean: mean, p5: p5, p25: .nan, p50: p50, p75: .nan, p95: p95))
        }
    }

    private static func month(_ text: String, file: String, line: Int) throws(InputError) -> Month {
        guard let month = Month(parsing: text) else {
            throw InputError(file: file, "line \(line): '\(text)' is not a month; expected YYYY-MM")
        }
        return month
    }
}
