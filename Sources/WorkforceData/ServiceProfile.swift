import WorkforceFormats
import WorkforceScenario
import Workforce

/// How an imported rank's officers are spread over years of service, which the Home Office
/// ethnicity table does not give: for each rank, shares of the rank by service band. Every group
/// (ethnicity × gender) of a rank gets the rank's profile.
package struct ServiceProfile: Sendable {
    /// One band of a rank's profile: inclusive years of service and the share of the rank in it.
    package struct Band: Sendable {
        package var years: ClosedRange<Int>
        package var share: Double
    }

    /// Shares by band for each rank name; the shares of a rank sum to 1.
    package var ranks: [String: [Band]]
    /// Where the profile comes from, said in the import report.
    package var source: String

    /// The default: the Met's December 2021 officers by rank and service band derived in
    /// docs/met-scenarios.md (section 1, "Ranks by service and group": 0–4 / 5–9 / 10–19 / 20–29 /
    /// 30+ years), the only by-rank service profile our sources support; its 30+ band is put at
    /// 30–34 years, so scenarios using it need `max_service` ≥ 35. An assumption for any other
    /// force or year (the Met's constables were unusually junior after the 2019–2021 uplift).
    package static let metDecember2021: ServiceProfile = {
        let bands = [0...4, 5...9, 10...19, 20...29, 30...34]
        let shares: [(String, [Double])] = [
            ("Constable", [0.38, 0.21, 0.26, 0.12, 0.02]),
            ("Sergeant", [0.04, 0.12, 0.53, 0.27, 0.04]),
            ("Inspector", [0.01, 0.02, 0.35, 0.52, 0.10]),
            ("Chief Inspector", [0.00, 0.02, 0.34, 0.57, 0.07]),
            ("Superintendent", [0.00, 0.01, 0.16, 0.66, 0.17]),
            ("Chief Superintendent", [0.00, 0.00, 0.12, 0.67, 0.21]),
            ("Chief Officer", [0.00, 0.00, 0.06, 0.58, 0.36]),
        ]
        var ranks: [String: [Band]] = [:]
        for (rank, values) in shares {
            let total = values.reduce(0, +)  // the published shares are rounded (Constable: 0.99)
            ranks[rank] = zip(bands, values).map { Band(years: $0, share: $1 / total) }
        }
        return ServiceProfile(
            ranks: ranks,
            source: "default profile (Met Dec 2021 by rank, docs/met-scenarios.md; bands 0-4, 5-9, 10-19, 20-29, 30-34)")
    }()

    /// Each rank's profile in a scenario's initial workforce, year by year (all groups pooled).
    /// Ranks with no officers there have no profile.
    package init(scenario model: Model, file: String) {
        let d = model.dimensions
        var ranks: [String: [Band]] = [:]
        for r in d.ranks.indices {
            let byYear = (0..<d.maxService).map { s in
                (0..<d.groupCount).reduce(0) { $0 + model.initial[d.cell(r, $1, s)] }
            }
            let total = byYear.reduce(0, +)
            guard total > 0 else { continue }
            ranks[d.ranks[r]] = byYear.enumerated().filter { $0.element > 0 }.map {
                Band(years: $0.offset...$0.offset, share: Double($0.element) / Double(total))
            }
        }
        self.init(ranks: ranks, source: "the service profile of each rank in \(file)'s initial workforce")
    }

    package init(ranks: [String: [Band]], source: String) {
        self.ranks = ranks
        self.source = source
    }
}

/// One row of an initial-workforce CSV (`rank,ethnicity,gender,service,headcount`).
package struct InitialRow: Sendable, Hashable {
    package var rank: String
    package var ethnicity: String
    package var gender: String
    /// A service band as the scenario format writes it: `7` or `5-9`.
    package var service: String
    package var headcount: Int
}

extension ForceSnapshot {
    /// Whole headcounts per rank × group: each rank's total rounded to a whole number and split
    /// over its groups by the largest-remainder rule (exact for headcounts; for FTE, the rounded
    /// rank total is kept).
    package var wholeCounts: [[Int]] {
        counts.map { row in
            let total = row.reduce(0, +)
            guard total > 0 else { return Array(repeating: 0, count: row.count) }
            // checked: every cell is at most HomeOfficeTable.largestCount, so the total is far below 2^53.
            return LargestRemainder.split(Int(total.rounded()), by: row.map { $0 / total })
        }
    }

    /// The initial-workforce rows: each rank × group's whole count split over the rank's service
    /// bands by the largest-remainder rule; rows with no officers are left out. Fails when a rank
    /// with officers has no profile.
    package func initialRows(service: ServiceProfile) throws(InputError) -> [InitialRow] {
        let whole = wholeCounts
        let missing = categories.ranks.indices.filter { whole[$0].reduce(0, +) > 0 && service.ranks[categories.ranks[$0]] == nil }
        guard missing.isEmpty else {
            throw InputError(file: "--service", "no service profile for \(missing.map { categories.ranks[$0] }.joined(separator: ", ")) "
                + "in \(service.source); expected a profile for every rank with officers")
        }
        var rows: [InitialRow] = []
        for (r, rank) in categories.ranks.enumerated() {
            guard let bands = service.ranks[rank] else { continue }
            for (e, ethnicity) in categories.ethnicities.enumerated() {
                for (g, gender) in categories.genders.enumerated() {
                    let parts = LargestRemainder.split(whole[r][categories.group(e, g)], by: bands.map(\.share))
                    for (band, count) in zip(bands, parts) where count > 0 {
                        let years = band.years.count == 1 ? "\(band.years.lowerBound)" : "\(band.years.lowerBound)-\(band.years.upperBound)"
                        rows.append(InitialRow(rank: rank, ethnicity: ethnicity, gender: gender, service: years, headcount: count))
                    }
                }
            }
        }
        return rows
    }
}

extension CSVWriter {
    /// The initial-workforce CSV the scenario format reads (`initial: csv:`).
    package static func initial(_ rows: [InitialRow]) -> String {
        table(
            ["rank", "ethnicity", "gender", "service", "headcount"],
            rows.map { [$0.rank, $0.ethnicity, $0.gender, $0.service, String($0.headcount)] })
    }
}
