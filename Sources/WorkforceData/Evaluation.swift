import Workforce

/// The documented workflow (import the last training snapshot, calibrate on the training years,
/// backtest against the test year) as `workforce evaluate` runs it for one force: the scenario it
/// builds and the figures it scores. No file I/O; the command writes the initial CSV and runs it.
package enum Evaluation {
    /// Ranks with fewer officers than this in the last training snapshot are not scored by rank
    /// (their shares move by whole officers, and the table scores ranks of at least 20).
    package static let minimumRank = 20.0

    /// The ethnicity aggregate scored as "BAME" (the HO "Black, Asian and Minority Ethnic" group),
    /// and the category left out of a share's denominator (the HO basis).
    package static let bame = ["Black", "Asian", "Mixed", "Other"]
    package static let notStated = "Not stated"

    /// The figures scored for a force, as measures written in the backtest syntax: force headcount,
    /// force BAME and Black shares, and for each rank with at least `minimumRank` officers in
    /// `last` (the last training snapshot, known when the forecast is made), its headcount and its
    /// BAME and Black shares. Shares exclude "Not stated".
    package static func figures(_ d: Dimensions, last: [[Double]]) throws(MeasureError) -> [(kind: FigureKind, measure: Measure)] {
        var texts: [(FigureKind, String)] = [
            (.forceHeadcount, "count(All)"),
            (.forceShare, "share(BAME excluding \(notStated))"),
            (.forceShare, "share(Black excluding \(notStated))"),
        ]
        for (r, rank) in d.ranks.enumerated() where last[r].reduce(0, +) >= minimumRank {
            texts += [
                (.rankHeadcount, "count(All in \(rank))"),
                (.rankShare, "share(BAME in \(rank) excluding \(notStated))"),
                (.rankShare, "share(Black in \(rank) excluding \(notStated))"),
            ]
        }
        return try texts.map { (kind, text) throws(MeasureError) in (kind, try Measure(parsing: text, d)) }
    }

    /// The seed of one force's projection: `mix(seed XOR FNV-1a(force name))` reduced below 10^15
    /// (the scenario format's limit), so that each force draws its own random numbers and one
    /// seed's luck does not move all 43 forces together, while the same seed and force always give
    /// the same projection, whichever forces are evaluated with it (issue 19).
    package static func seed(_ seed: UInt64, force: String) -> UInt64 {
        StreamKey.mix(seed ^ StreamKey.fnv1a(force)) % 1_000_000_000_000_000
    }

    /// The scenario for one force: dimensions of the HO mapping (with the `BAME` aggregate), a
    /// yearly simulation from 31 March `start` to 31 March `end`, the initial workforce from
    /// `initialCSV` (a path relative to the scenario) and the calibrated `fragment` pasted below.
    package static func scenario(
        name: String, categories c: Categories, start: Int, end: Int, replications: Int, seed: UInt64,
        initialCSV: String, fragment: String
    ) -> String {
        func list(_ names: [String]) -> String { "[" + names.map(Calibration.name).joined(separator: ", ") + "]" }
        let bame = bame.filter(c.ethnicities.contains)
        var out = "name: \(Calibration.name(name))\n"
        out += "dimensions:\n  ranks: \(list(c.ranks))\n  ethnicities: \(list(c.ethnicities))\n  genders: \(list(c.genders))\n"
        out += "  max_service: 40\n"  // the imported service profile stops at 34 years
        if !bame.isEmpty { out += "  aggregates:\n    BAME: \(list(bame))\n" }
        out += "simulation:\n  start: \(start)-03\n  horizon: \(end)-03\n  step: year\n"
        out += "  replications: \(replications)\n  seed: \(seed)\n"
        out += "initial:\n  csv: \(Calibration.name(initialCSV))\n\n"
        return out + fragment
    }
}

extension Observation {
    /// A figure observed at `date` (for `workforce evaluate`, taken from a snapshot, not a file).
    package init(date: Month, measure: Measure, value: Double, source: String) {
        self.init(date: date, measure: measure, value: value, source: source, line: 0)
    }
}
