import Foundation
import Workforce

/// One scenario's results folder as read back from its files (`projections.csv`, `flows.csv`,
/// `targets.csv`, `targets.json`, `manifest.json`): everything a report shows, with every number
/// kept as the text the file has.
public struct ScenarioResults: Sendable {
    public var manifest: RunManifest
    /// Rank names, lowest first (as in the projections, without `All`).
    public var ranks: [String]
    /// Ethnicity and gender categories (from the manifest's initial counts, which list every one).
    public var ethnicities: [String]
    public var genders: [String]
    /// Ethnicity and gender labels in the projections: categories, aggregates, then `All`.
    public var ethnicityLabels: [String]
    public var genderLabels: [String]
    /// The projection dates, ascending: the start, each anniversary, the horizon and target dates.
    public var dates: [Month]
    /// The last month of each simulation year, ascending (from flows.csv).
    public var yearEnds: [Month]
    public var targets: [TargetResult]
    private var projections: [Cell: Projection]
    private var flows: [FlowCell: FlowStats]

    /// The label `Summary` uses for "every category" and for all ranks.
    public static let all = Summary.all

    public var start: Month { dates[0] }
    public var horizon: Month { dates[dates.count - 1] }

    /// Headcount and share (of the rank's, or all ranks', officers) quantiles for one row of
    /// projections.csv; nil when there is no such row.
    public func projection(_ date: Month, rank: String, ethnicity: String, gender: String) -> Projection? {
        projections[Cell(date: date, rank: rank, ethnicity: ethnicity, gender: gender)]
    }

    /// One row of flows.csv: `flow` is `joiners`, `leavers` or `promotions` (into `rank`).
    public func flow(_ yearEnd: Month, _ flow: String, rank: String, ethnicity: String, gender: String) -> FlowStats? {
        flows[FlowCell(yearEnd: yearEnd, flow: flow, rank: rank, ethnicity: ethnicity, gender: gender)]
    }

    /// The projection labels a target's group stands for: a category or aggregate of one
    /// dimension (the other `All`), or an ethnicity and a gender label joined by a space.
    public func labels(ofGroup group: String) -> (ethnicity: String, gender: String)? {
        if ethnicityLabels.contains(group) { return (group, Self.all) }
        if genderLabels.contains(group) { return (Self.all, group) }
        for e in ethnicityLabels where e != Self.all {
            for g in genderLabels where g != Self.all && "\(e) \(g)" == group { return (e, g) }
        }
        return nil
    }

    /// The projection rank label of a target's ranks: `All` for every rank, the rank itself for
    /// one; nil for any other set (the projections have no row for it).
    public func rankLabel(of target: TargetResult) -> String? {
        if target.ranks == ranks { return Self.all }
        return target.ranks.count == 1 ? target.ranks[0] : nil
    }

    struct Cell: Hashable {
        var date: Month
        var rank, ethnicity, gender: String
    }
    struct FlowCell: Hashable {
        var yearEnd: Month
        var flow, rank, ethnicity, gender: String
    }
}

/// The mean and quantiles of a headcount and of a share, as written in projections.csv.
public struct Projection: Sendable {
    public var headcount: Stats
    /// A fraction in 0...1 of the rank's (or all ranks') officers.
    public var share: Stats
}

/// Mean and quantiles over replications (p5 … p95), as written.
public struct Stats: Sendable {
    public var mean, p5, p25, p50, p75, p95: Figure
}

/// A year's flow over replications (officers per simulation year), as written in flows.csv.
public struct FlowStats: Sendable {
    /// The mean: flows are stacked by group, and means (unlike medians) add up.
    public var mean: Figure
}

/// One target's verdict, from targets.csv and targets.json.
public struct TargetResult: Sendable {
    public var name: String
    /// `officers`, `recruits` or `promotions`.
    public var shareOf: String
    /// The group label, e.g. `BAME` or `Black Female`.
    public var group: String
    /// The ranks counted, lowest first.
    public var ranks: [String]
    /// `at_least` or `at_most`.
    public var comparison: String
    /// The threshold share (0...1).
    public var threshold: Figure
    /// For recruits and promotions, the first month of the period counted.
    public var periodStart: Month?
    /// The month it is judged at.
    public var date: Month
    public var probabilityMet: Figure
    /// Quantiles of the measure (a share, 0...1) at the date.
    public var p5, p50, p95: Figure
    /// A year, or `never`.
    public var firstMetMostLikelyYear: String
    public var probabilityNeverMet: Figure
    /// The probability of first meeting it in each year (from targets.json; empty when absent).
    public var firstMetByYear: [(year: Int, probability: Figure)]
    /// The attainability statement (the best under the stated extremes and the earliest date it
    /// can be reached), from targets.json; nil when absent.
    public var attainability: String? = nil
}

/// manifest.json: what the run was.
public struct RunManifest: Sendable {
    public var scenario: String
    public var file: String
    public var sha256: String
    /// `monte-carlo` or `expected-value`.
    public var mode: String
    public var seed: String
    public var replications: String
    public var threads: String
    public var version: String
    public var gslVersion: String
    /// ISO 8601, when the run started.
    public var started: String
    public var wallTimeSeconds: String
    /// Officers at the start.
    public var initialTotal: String
}

extension ScenarioResults {
    /// The files a results folder must have for a scenario report.
    public static let requiredFiles = ["projections.csv", "flows.csv", "targets.csv", "manifest.json"]

    /// Reads a results folder's files, given as name → contents (`targets.json` is optional).
    public init(files: [String: String]) throws(ReportError) {
        for name in Self.requiredFiles where files[name] == nil {
            throw ReportError(file: name, message: "missing; a results folder written by `workforce run` has it")
        }
        manifest = try Self.manifest(files["manifest.json"]!)
        let categories = try Self.categories(files["manifest.json"]!)
        ethnicities = categories.ethnicities
        genders = categories.genders

        let p = try ResultTable(files["projections.csv"]!, file: "projections.csv")
        let stats = ["mean", "p5", "p25", "p50", "p75", "p95"]
        let (pDate, pRank, pEth, pGen) = (try p.column("date"), try p.column("rank"), try p.column("ethnicity"), try p.column("gender"))
        var headcountColumns: [Int] = []
        var shareColumns: [Int] = []
        for s in stats {
            headcountColumns.append(try p.column("headcount_\(s)"))
            shareColumns.append(try p.column("share_\(s)"))
        }
        func quantiles(_ row: [String], _ columns: [Int]) -> Stats {
            let f = columns.map { Figure(row[$0]) }
            return Stats(mean: f[0], p5: f[1], p25: f[2], p50: f[3], p75: f[4], p95: f[5])
        }
        var projections: [Cell: Projection] = [:]
        var dates = Set<Month>()
        var ranks: [String] = []
        var ethnicityLabels: [String] = []
        var genderLabels: [String] = []
        for (i, row) in p.rows.enumerated() {
            let date = try Dates.parse(row[pDate], file: "projections.csv", line: i + 2)
            dates.insert(date)
            if row[pRank] != Self.all && !ranks.contains(row[pRank]) { ranks.append(row[pRank]) }
            if !ethnicityLabels.contains(row[pEth]) { ethnicityLabels.append(row[pEth]) }
            if !genderLabels.contains(row[pGen]) { genderLabels.append(row[pGen]) }
            projections[Cell(date: date, rank: row[pRank], ethnicity: row[pEth], gender: row[pGen])] =
                Projection(headcount: quantiles(row, headcountColumns), share: quantiles(row, shareColumns))
        }
        guard !dates.isEmpty else { throw ReportError(file: "projections.csv", message: "no rows") }
        self.projections = projections
        self.dates = dates.sorted()
        self.ranks = ranks
        self.ethnicityLabels = ethnicityLabels
        self.genderLabels = genderLabels

        let f = try ResultTable(files["flows.csv"]!, file: "flows.csv")
        let fColumns = try ["year_end", "flow", "rank", "ethnicity", "gender", "mean"].map { name throws(ReportError) in try f.column(name) }
        var flows: [FlowCell: FlowStats] = [:]
        var yearEnds = Set<Month>()
        for (i, row) in f.rows.enumerated() {
            let yearEnd = try Dates.parse(row[fColumns[0]], file: "flows.csv", line: i + 2)
            yearEnds.insert(yearEnd)
            flows[FlowCell(yearEnd: yearEnd, flow: row[fColumns[1]], rank: row[fColumns[2]], ethnicity: row[fColumns[3]], gender: row[fColumns[4]])] =
                FlowStats(mean: Figure(row[fColumns[5]]))
        }
        self.flows = flows
        self.yearEnds = yearEnds.sorted()

        targets = try Self.targets(files["targets.csv"]!, json: files["targets.json"])
    }

    private static func manifest(_ text: String) throws(ReportError) -> RunManifest {
        let object = try JSON.object(text, file: "manifest.json")
        func field(_ key: String) -> String { JSON.text(object[key]) }
        let initial = object["initial"] as? [String: Any]
        return RunManifest(
            scenario: field("scenario"), file: field("file"), sha256: field("sha256"), mode: field("mode"),
            seed: field("seed"), replications: field("replications"), threads: field("threads"),
            version: field("version"), gslVersion: field("gsl_version"), started: field("started"),
            wallTimeSeconds: field("wall_time_seconds"), initialTotal: JSON.text(initial?["total"]))
    }

    /// Every ethnicity and gender category, in order, from the manifest's initial counts.
    private static func categories(_ text: String) throws(ReportError) -> (ethnicities: [String], genders: [String]) {
        let object = try JSON.object(text, file: "manifest.json")
        guard let initial = object["initial"] as? [String: Any], let counts = initial["by_rank_and_group"] as? [[String: Any]] else {
            throw ReportError(file: "manifest.json", message: "no initial.by_rank_and_group; expected the initial counts by rank and group")
        }
        var ethnicities: [String] = []
        var genders: [String] = []
        for count in counts {
            if let e = count["ethnicity"] as? String, !ethnicities.contains(e) { ethnicities.append(e) }
            if let g = count["gender"] as? String, !genders.contains(g) { genders.append(g) }
        }
        return (ethnicities, genders)
    }

    private static func targets(_ csv: String, json: String?) throws(ReportError) -> [TargetResult] {
        let t = try ResultTable(csv, file: "targets.csv")
        let names = [
            "target", "share_of", "group", "ranks", "comparison", "threshold", "period_start", "date", "probability_met",
            "p5", "p50", "p95", "first_met_most_likely_year", "probability_never_met",
        ]
        let c = try names.map { name throws(ReportError) in try t.column(name) }
        var byYear: [String: [(year: Int, probability: Figure)]] = [:]
        var attainability: [String: String] = [:]
        if let json {
            let object = try JSON.object(json, file: "targets.json")
            for entry in object["targets"] as? [[String: Any]] ?? [] {
                guard let name = entry["name"] as? String, let firstMet = entry["first_met"] as? [String: Any] else { continue }
                attainability[name] = (entry["attainability"] as? [String: Any])?["statement"] as? String
                byYear[name] = (firstMet["by_year"] as? [[String: Any]] ?? []).compactMap { year in
                    guard let y = year["year"] as? Int else { return nil }
                    return (y, Figure(JSON.text(year["probability"])))
                }
            }
        }
        return try t.rows.enumerated().map { i, row throws(ReportError) in
            TargetResult(
                name: row[c[0]], shareOf: row[c[1]], group: row[c[2]],
                ranks: row[c[3]].split(separator: ";").map(String.init), comparison: row[c[4]], threshold: Figure(row[c[5]]),
                periodStart: row[c[6]].isEmpty ? nil : try Dates.parse(row[c[6]], file: "targets.csv", line: i + 2),
                date: try Dates.parse(row[c[7]], file: "targets.csv", line: i + 2),
                probabilityMet: Figure(row[c[8]]), p5: Figure(row[c[9]]), p50: Figure(row[c[10]]), p95: Figure(row[c[11]]),
                firstMetMostLikelyYear: row[c[12]], probabilityNeverMet: Figure(row[c[13]]), firstMetByYear: byYear[row[c[0]]] ?? [],
                attainability: attainability[row[c[0]]])
        }
    }
}

/// Reading JSON result files (Foundation's parser; numbers come back as their shortest form).
enum JSON {
    static func object(_ text: String, file: String) throws(ReportError) -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let object = value as? [String: Any] else {
            throw ReportError(file: file, message: "not a JSON object")
        }
        return object
    }

    /// A scalar as text: strings as they are, numbers in their shortest round-trip form (as the
    /// writers' JSONEncoder writes them), anything else empty.
    static func text(_ value: Any?) -> String {
        switch value {
        case let s as String: s
        case let n as NSNumber: "\(n)"
        default: ""
        }
    }
}

/// Month formats: `2024-03` in files and tables, `Mar 2024` in prose and on axes.
public enum Dates {
    /// `Mar 2024` (`Month.long`).
    public static func long(_ month: Month) -> String { month.long }

    /// Parses `YYYY-MM`.
    public static func parse(_ text: String, file: String, line: Int) throws(ReportError) -> Month {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else {
            throw ReportError(file: file, message: "line \(line): '\(text)' is not a month; expected YYYY-MM")
        }
        return Month(year: year, month: month)
    }
}
