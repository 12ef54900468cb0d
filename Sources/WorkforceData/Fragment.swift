import WorkforceFormats
import WorkforceScenario
import Foundation

extension Calibration {
    /// What snapshots cannot identify, and the assumptions that fill each gap: said in the
    /// fragment, in the command's report and in docs/data.md.
    package var identification: [String] {
        var lines = [
            "Snapshots give only the net change of each rank × group; gross flows (who left, who was promoted, "
                + "who joined) are not observed in them.",
        ]
        lines.append(leaversObserved
            ? "Leaving by rank × group: estimated from the leavers given."
            : "Leaving: NOT identified without leavers counts. Assumed: \(assumedLeavingText) a year, the same for every group; "
                + "so differences between groups are put down to promotion, not leaving (the snapshots cannot tell the two apart).")
        lines.append("Promotion: implied by the pipeline identity, top rank down (promotions into a rank = its change + its "
            + "leavers + promotions out of it); transfers, demotions, direct entry and re-classification are absorbed into it.")
        lines.append(joinersObserved
            ? "Intake: from the joiners given."
            : "Intake: implied by the lowest rank's change, its leavers and promotions out of it.")
        if let pooling = intakePooling {
            lines.append("Intake ethnicity shares: partly pooled toward officers' shares × the other forces' ratio of recruits' to "
                + "officers' shares (empirical Bayes, IntakePooling), \(pooling.source).")
        }
        lines.append("Service: NOT identified (the tables have no years of service), so leaving has one band and promotion "
            + "min_service 0; service-dependent leaving and eligibility must come from other sources.")
        lines.append("Rates are taken as constant over the years given, and the same for every officer of a rank × group.")
        lines.append(sizeText)
        let v = makeUpVariation
        lines.append("Year to year (MakeUpVariation): intake ethnicity shares \(v.ethnicity.description); intake gender shares "
            + "\(v.gender.description); leaving \(v.leaving.description); promotion \(v.promotion.description)"
            + (size.holdsEstablishment ? " (not used: promotion fills vacancies)." : "."))
        return lines
    }

    /// How the fragment sets the force's size (`size`), in words.
    var sizeText: String {
        switch size {
        case .flat:
            "Size (--size flat, the default): each rank held at its headcount as at 31 March \(years.last!) (establishment), "
                + "recruits fill the lowest rank, promotion fills vacancies (the odds below weight who is promoted); the make-up "
                + "comes from the estimates. Each establishment is drawn once per replication with the year-to-year spread of "
                + "rank sizes, and the force's size then wanders from its last headcount as a random walk (drift: the force-level "
                + "year-on-year change, so its uncertainty grows with the horizon), \(sizeVariation.source)"
                + (sizeVariation.levels.map { "; the force's own change, persistent against transient: \($0.source)" } ?? "")
                + ". Snapshots show how "
                + "the size moved, not where budgets will take it: "
                + "choose --size trend, rates or per-year=N if you know better."
        case .trend:
            "Size (--size trend): as --size flat, but each rank's establishment grows every year after 31 March \(years.last!) "
                + "by the force's mean annual change in the years given, ×\(Self.number(exp(trendGrowth))) a year, for "
                + "\(ForceSize.trendYears) years; the year-to-year spread of sizes as with flat, \(sizeVariation.source)."
        case .rates:
            "Size (--size rates): the intake per year and promotion rates estimated from the years given are carried "
                + "forward, so the force grows or shrinks as it did then; the intake varies from year to year, "
                + "\(intakeVariation.source)."
        case .perYear(let n):
            "Size (--size per-year=\(Self.number(n))): an intake of \(Self.number(n)) recruits a year (given), promotion by the "
                + "estimated rates; the intake varies from year to year, \(intakeVariation.source)."
        }
    }

    var assumedLeavingText: String {
        let distinct = Set(assumedLeaving)
        if distinct.count == 1, let rate = distinct.first { return Self.number(rate) }
        return zip(categories.ranks, assumedLeaving).map { "\($0) \(Self.number($1))" }.joined(separator: ", ")
    }

    /// The estimates as a scenario fragment: the `leaving`, `promotion` and `recruitment`
    /// sections of the scenario format, each uncertain number a distribution with the estimate's
    /// mean and standard error (rates: beta; odds factors: see `oddsFactor`; intake size:
    /// normal; intake shares: beta on [0, high] with one `rest`), and comments giving the counts
    /// behind each. `source` names the data in the header.
    package func fragment(source: String) -> String {
        let c = categories
        var out = "# Scenario fragment written by `workforce calibrate` from \(source),\n"
        out += "# snapshots as at 31 March \(years.map(String.init).joined(separator: ", ")) (\(years.count - 1) year"
            + "\(years.count == 2 ? "" : "s")).\n"
        out += "# Paste the sections below into a scenario with these dimensions:\n"
        out += "#   ranks: [\(c.ranks.map(Self.name).joined(separator: ", "))]\n"
        out += "#   ethnicities: [\(c.ethnicities.map(Self.name).joined(separator: ", "))]\n"
        out += "#   genders: [\(c.genders.map(Self.name).joined(separator: ", "))]\n"
        out += "# What the data identify, and the assumptions that fill the gaps:\n"
        for line in identification { out += "#   - \(line)\n" }
        for note in notes { out += "#   note: \(note)\n" }
        out += "\n" + leavingSection() + "\n" + establishmentSection() + promotionSection() + "\n" + recruitmentSection()
        return out
    }

    private func leavingSection() -> String {
        let c = categories
        var out = "leaving:\n  bands: [\"0+\"]          # service is not identified: one band for every year of service\n  rates:\n"
        guard let leaving else {
            for (r, rank) in c.ranks.enumerated() {
                out += "    \(Self.name(rank)): [\(Self.varying(Self.number(assumedLeaving[r]), makeUpVariation.leaving))]   "
                    + "# assumption (no leavers given), every group\n"
            }
            return out + "  # year to year: \(makeUpVariation.leaving.description)\n"
        }
        for (r, rank) in c.ranks.enumerated() {
            out += "    \(Self.name(rank)): [\(Self.number(leaving[r].prior.mean))]   # pooled over groups; every group is overridden below\n"
        }
        out += "  overrides:              # per group: raw events/officers, then shrunk toward the rank's pooled rate\n"
        for q in 0..<c.groupCount {
            out += "    - ethnicities: \(Self.name(c.ethnicities[q / c.genders.count]))\n"
            out += "      genders: \(Self.name(c.genders[q % c.genders.count]))\n      rates:\n"
            for (r, rank) in c.ranks.enumerated() {
                let rate = leaving[r].groups[q]
                out += "        \(Self.name(rank)): [\(Self.varying(Self.beta(rate.value, rate.se), makeUpVariation.leaving))]   # \(Self.describe(rate))\n"
            }
        }
        return out + "  # year to year: \(makeUpVariation.leaving.description)\n"
    }

    /// The establishment's `scale`: the force's size as a path that wanders from the last observed
    /// headcount. The first year's change is drawn once per replication (normal, mean 1, the
    /// force-level spread less what the ranks' own draws give, `SizeVariation.scaleSD`); after it
    /// the level takes a random-walk step each year (`drift`) of the whole force-level year-on-year
    /// change, `√scaleTau2`, so the force total's spread grows as `√t` years out instead of staying
    /// at its one-year width (docs/data.md, "Force size as a path"). `1` when neither varies.
    ///
    /// Where the force's own persistent and transient parts were estimated (`SizeVariation.levels`,
    /// a random walk plus noise, `q` and `r`), the scale is the random walk plus noise itself: the
    /// year-on-year change from the last headcount, `q + 2r` plus the national `τ²`, is a first
    /// draw of variance `q + r + τ²_national` (less the ranks' own), `year_to_year: √r` and
    /// `drift: √(q + τ²_national)` (the national component wanders too: an assumption); `t` years
    /// out the variance is `(t + 1)(q + τ²) + 2r`.
    var scaleText: String {
        func form(first: Double, transient: Double, drift: Double) -> String {
            let value = first > 0 ? "{normal: [1, \(Self.number(first))]}" : "1"
            var parts: [String] = []
            if transient > 0 { parts.append("year_to_year: \(Self.number(transient))") }
            if drift > 0 { parts.append("drift: \(Self.number(drift))") }
            return parts.isEmpty ? value : "{value: \(value), " + parts.joined(separator: ", ") + "}"
        }
        let v = sizeVariation
        guard let levels = v.levels else {
            return form(first: v.scaleSD(headcounts: lastHeadcount), transient: 0, drift: v.scaleTau2.squareRoot())
        }
        let total = lastHeadcount.reduce(0, +)
        let ranks = total > 0 ? v.tau2 * lastHeadcount.reduce(0) { $0 + $1 * $1 } / (total * total) : 0
        let q = levels.persistent + SizeVariation.nationalTau2
        return form(first: max(0, q + levels.transient - ranks).squareRoot(), transient: levels.transient.squareRoot(), drift: q.squareRoot())
    }

    /// With `ForceSize.flat`, each rank's establishment: its last headcount, drawn once per
    /// replication from a normal with the spread `sizeVariation` gives (truncated at 0 by the
    /// engine), times the force's `scaleText`; empty otherwise.
    private func establishmentSection() -> String {
        guard size.holdsEstablishment else { return "" }
        var out = size == .flat
            ? "establishment:          # --size flat: each rank held at its headcount as at 31 March \(years.last!), "
                + "with the year-to-year spread of rank sizes\n"
            : "establishment:          # --size trend: each rank from its headcount as at 31 March \(years.last!), ×"
                + "\(Self.number(exp(trendGrowth))) a year, with the year-to-year spread of rank sizes\n"
        out += "  scale: " + scaleText
            + "   # the force-level change common to every rank, a path from the last headcount; each rank varies around it\n"
        for (r, rank) in categories.ranks.enumerated() {
            func value(_ n: Double) -> String {
                let sd = sizeVariation.sd(headcount: n)
                return sd > 0 ? "{normal: [\(Self.number(n)), \(Self.number(sd))]}" : Self.number(n)
            }
            let n = lastHeadcount[r]
            guard size == .trend else {
                out += "  \(Self.name(rank)): \(value(n))\n"
                continue
            }
            out += "  \(Self.name(rank)):\n"
            for k in 1...ForceSize.trendYears {
                // From April of each year the establishment is the trend's value at the year's end.
                out += "    - {from: \(years.last! + k - 1)-04, value: \(value(n * exp(trendGrowth * Double(k))))}\n"
            }
        }
        return out + "\n"
    }

    private func promotionSection() -> String {
        let c = categories
        var out = "promotion:\n"
        for r in 1..<max(1, c.ranks.count) {
            let table = promotion[r - 1]
            let ref = table.groups[reference]
            out += "  \(Self.name(c.ranks[r])):\n    by: \(size.holdsEstablishment ? "vacancy" : "rate")\n"
            out += "    min_service: 0       # service is not identified\n"
            out += size.holdsEstablishment
                ? "    # rate (not used: promotion fills vacancies): \(Self.beta(ref.value, ref.se))"
                : "    rate: \(Self.varying(Self.beta(ref.value, ref.se), makeUpVariation.promotion))"
            out += "   # \(c.groupName(reference)) (reference): \(Self.describe(ref))\n"
            out += "    # pooled \(Self.number(table.prior.mean)), prior strength \(Self.number(table.prior.strength)) officers\n"
            out += "    odds:\n"
            for q in 0..<c.groupCount where q != reference {
                let (factor, logSE) = odds(rank: r, group: q)
                out += "      - {ethnicities: \(Self.name(c.ethnicities[q / c.genders.count])), "
                    + "genders: \(Self.name(c.genders[q % c.genders.count])), factor: \(Self.oddsFactor(factor, logSE: logSE))}"
                    + "   # \(Self.describe(table.groups[q]))\n"
            }
        }
        if !size.holdsEstablishment && c.ranks.count > 1 { out += "  # year to year: \(makeUpVariation.promotion.description)\n" }
        return out
    }

    private func recruitmentSection() -> String {
        let c = categories
        let estimated = joinersObserved || intakePerYearSE == 0
            ? Self.number(intakePerYear)
            : "{normal: [\(Self.number(intakePerYear)), \(Self.number(intakePerYearSE))]}"
        let observed = "\(Self.number(intakePerYear)) a year \(joinersObserved ? "(joiners given)" : "implied by the lowest rank's change")"
        var out = "recruitment:\n  - rank: \(Self.name(c.ranks[0]))\n"
        let variation = "year_to_year: \(Self.number(intakeVariation.sd))"
        switch size {
        case .flat, .trend: out += "    size: fill            # --size \(size); in the years given: \(observed)\n"
        case .rates:
            out += "    size: {per_year: {value: \(estimated), \(variation)}}   # --size rates: \(observed)\n"
        case .perYear(let n):
            out += "    size: {per_year: {value: \(Self.number(n)), \(variation)}}   # --size per-year (given); in the years given: \(observed)\n"
        }
        if !size.holdsEstablishment { out += "    # year to year: \(intakeVariation.source)\n" }
        let ethnicity = makeUpVariation.ethnicity, gender = makeUpVariation.gender
        out += "    ethnicity: \(Self.shares(intakeEthnicity, c.ethnicities, variation: ethnicity))\n"
        out += "    # year to year (each share against the rest): \(ethnicity.description)\n"
        out += "    gender: \(Self.shares(intakeGender, c.genders, variation: gender))\n"
        out += "    gender_by_ethnicity:   # year to year: \(gender.description)\n"
        for (e, name) in c.ethnicities.enumerated() {
            out += "      \(Self.name(name)): \(Self.shares(intakeGenderByEthnicity[e], c.genders, variation: gender))\n"
        }
        out += "    # recruits by ethnicity over the years: "
            + zip(c.ethnicities, intakeEthnicity).map { "\($0) \(Self.number($1.count))" }.joined(separator: ", ") + "\n"
        return out
    }

    /// "12 of 345 = 0.0348 (se 0.0099); shrunk 0.0351 (se 0.0097)".
    private static func describe(_ rate: Rate) -> String {
        guard rate.exposure > 0 else { return "no officers: the pooled rate, shrunk \(number(rate.value)) (se \(number(rate.se)))" }
        return "\(number(rate.events)) of \(number(rate.exposure)) = \(number(rate.raw)) (se \(number(rate.rawSE))); "
            + "shrunk \(number(rate.value)) (se \(number(rate.se)))"
    }

    /// An odds factor's distribution, with mean `factor` and standard deviation `factor × logSE`
    /// (delta method): a normal (truncated at 0 by the engine) when `logSE` < 0.25, so that 0 is
    /// more than 4 sd away and the truncation leaves the mean as it is; otherwise a beta on
    /// `0...factor·e^(3·logSE)`, which keeps the mean exactly where a truncated normal would raise it.
    ///
    /// **No impossible zeros** (issue 19): the beta's first parameter is at least 1, so its density
    /// at 0 is finite. A beta with `a < 1` has an infinite density at 0: it says the group is most
    /// likely all but barred from promotion, which no estimate shrunk toward the pooled rate says
    /// (Dyfed-Powys, 2003–04: a group with no officers, given the pooled rate, was written
    /// `beta [0.32, 61, 0, 404]`, a factor below 0.05 in 24% of replications, so a rank with no
    /// minority officers could all but never gain one). Raising `a` to 1 lowers the spread where it
    /// binds (the standard deviation stays about the mean's size: a wide, not a degenerate, law); an
    /// assumption, like the cap `a + b ≥ 2`. A factor of exactly 0 is written only where an estimate
    /// is 0, which shrinkage never gives.
    static func oddsFactor(_ factor: Double, logSE: Double) -> String {
        // A factor estimated from no officers (0, or not finite) has no spread a scenario can take: written fixed.
        guard factor.isFinite, factor > 0, logSE.isFinite, logSE > 0, (factor * exp(3 * logSE)).isFinite else {
            return number(factor.isFinite ? factor : 1)
        }
        guard logSE >= 0.25 else { return "{normal: [\(number(factor)), \(number(factor * logSE))]}" }
        var high = factor * exp(3 * logSE)
        var (a, b) = betaParameters(mean: factor, sd: factor * logSE, high: high)
        if a < 1 {
            // The least concentration with a = 1 at this mean: a = m c = 1.
            let m = factor / high
            (a, b) = (1, (1 - m) / m)
            // A very wide factor (a log se of 4 or more: a group with next to no officers) would need
            // b beyond the shapes a scenario accepts (`Limits.betaShape`, so the scenario would be
            // refused): the upper end is lowered until b is at that limit, the mean kept.
            if b > Limits.betaShape.upperBound {
                b = Limits.betaShape.upperBound
                high = factor * (1 + b)
            }
        }
        // A spread so wide that the beta's parameters are not finite numbers: written fixed.
        guard a.isFinite, b.isFinite, a > 0, b > 0 else { return number(factor) }
        return "{beta: [\(number(a)), \(number(b)), 0, \(number(high))]}"
    }

    /// A beta distribution on 0...1 with this mean and standard deviation (method of moments).
    static func beta(_ mean: Double, _ sd: Double) -> String {
        let (a, b) = betaParameters(mean: mean, sd: sd, high: 1)
        return "{beta: [\(number(a)), \(number(b))]}"
    }

    /// `a`, `b` of a beta on `0...high` with this mean and standard deviation. The variance is
    /// capped below the largest a beta with this mean can have (`a + b` ≥ 2), and the shapes are
    /// kept within those a scenario accepts (`Limits.betaShape`): the mean exactly, the spread
    /// widened where it is below what shapes of 100,000 give, narrowed where a shape would be
    /// below 0.001.
    static func betaParameters(mean: Double, sd: Double, high: Double) -> (a: Double, b: Double) {
        let m = mean / high, s = sd / high
        var concentration = max(2, m * (1 - m) / (s * s) - 1)
        if m > 0 && m < 1 {
            concentration = min(concentration, Limits.betaShape.upperBound / max(m, 1 - m))
            concentration = max(concentration, Limits.betaShape.lowerBound / min(m, 1 - m))
        }
        return (m * concentration, (1 - m) * concentration)
    }

    /// Shares with the largest as `rest` and the others as betas on `0...high`, where the highs
    /// (mean + 6 se, less where needed) sum to at most 1 so that `rest` cannot be negative.
    /// With `variation`, each share other than the rest varies from year to year against it.
    static func shares(_ shares: [Share], _ names: [String], variation: YearToYearEstimate? = nil) -> String {
        guard let rest = shares.indices.max(by: { shares[$0].value < shares[$1].value }) else { return "{}" }
        let others = shares.indices.filter { $0 != rest }
        let slack = max(0, 1 - others.reduce(0) { $0 + shares[$1].value })
        let spread = others.reduce(0) { $0 + shares[$1].se }
        let parts = shares.indices.map { i -> String in
            guard i != rest else { return "\(name(names[i])): rest" }
            let s = shares[i]
            let room = spread > 0 ? slack * s.se / spread : 0
            let high = min(1, s.value + min(6 * s.se, room))
            guard s.se > 0, high > s.value else { return "\(name(names[i])): \(varying(number(s.value), variation))" }
            let (a, b) = betaParameters(mean: s.value, sd: s.se, high: high)
            return "\(name(names[i])): \(varying("{beta: [\(number(a)), \(number(b)), 0, \(number(high))]}", variation))"
        }
        return "{\(parts.joined(separator: ", "))}"
    }

    /// `value` (a number or distribution as written) in the year-to-year form when `variation`
    /// has σ > 0: `{value: …, year_to_year: σ}`, and `drift: δ` beside it where the year's change
    /// is split into a persistent and a transient part (σ then the transient part,
    /// `YearToYearEstimate.transientSD`; issue 19).
    static func varying(_ value: String, _ variation: YearToYearEstimate?) -> String {
        guard let variation, variation.sd > 0 || variation.drift > 0 else { return value }
        var parts = ["value: \(value)"]
        if variation.transientSD > 0 { parts.append("year_to_year: \(number(variation.transientSD))") }
        if variation.drift > 0 { parts.append("drift: \(number(variation.drift))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A number with up to 6 significant digits.
    static func number(_ x: Double) -> String {
        x.isNaN ? "NA" : String(format: "%.6g", x == 0 ? 0 : x)
    }

    /// A category name as a YAML scalar: plain when safe, else double-quoted.
    static func name(_ text: String) -> String {
        let plain = text.first.map { $0.isLetter } == true
            && text.allSatisfy { $0.isLetter || $0.isNumber || " _.-()".contains($0) }
            && !text.hasSuffix(" ")
        return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension Calibration {
    /// Every estimate as CSV, one row per parameter × rank × group:
    /// `parameter,rank,ethnicity,gender,events,exposure,raw,raw_se,estimate,se,prior_mean,prior_strength`.
    ///
    /// - `net_change`: `events` = officers at the ends of the years, `exposure` = at their starts,
    ///   `raw` = `estimate` = the net change per year (what snapshots identify by themselves);
    /// - `leaving` (only with leavers given) and `promotion` (into `rank`): events among officers
    ///   exposed, raw rate and its se, shrunk estimate and its se, and the prior shrunk toward;
    /// - `promotion_odds`: the shrunk odds relative to the reference group (`estimate`) and the
    ///   se of their logarithm (`se`);
    /// - `intake_per_year`, `intake_ethnicity`, `intake_gender`, `intake_gender_given_ethnicity`:
    ///   recruits (`events`) and the share among recruits (`estimate`, with `se`).
    package func estimatesCSV() -> String {
        let c = categories
        let G = c.genders.count
        var rows: [[String]] = []
        func add(_ parameter: String, _ rank: String, _ ethnicity: String, _ gender: String, _ values: [Double]) {
            rows.append([parameter, rank, ethnicity, gender] + values.map(Self.number))
        }
        func addRate(_ parameter: String, _ rank: String, _ table: RateTable, _ q: Int) {
            let x = table.groups[q]
            add(parameter, rank, c.ethnicities[q / G], c.genders[q % G],
                [x.events, x.exposure, x.raw, x.rawSE, x.value, x.se, table.prior.mean, table.prior.strength])
        }
        let nan = Double.nan
        for (r, rank) in c.ranks.enumerated() {
            for q in 0..<c.groupCount {
                let change = netChange(rank: r, group: q)
                add("net_change", rank, c.ethnicities[q / G], c.genders[q % G],
                    [endStock[r][q], startStock[r][q], change, nan, change, nan, nan, nan])
            }
        }
        if let leaving {
            for (r, rank) in c.ranks.enumerated() { for q in 0..<c.groupCount { addRate("leaving", rank, leaving[r], q) } }
        }
        for r in 1..<max(1, c.ranks.count) {
            for q in 0..<c.groupCount { addRate("promotion", c.ranks[r], promotion[r - 1], q) }
            for q in 0..<c.groupCount {
                let (factor, logSE) = odds(rank: r, group: q)
                add("promotion_odds", c.ranks[r], c.ethnicities[q / G], c.genders[q % G], [nan, nan, nan, nan, factor, logSE, nan, nan])
            }
        }
        add("intake_per_year", c.ranks[0], "", "", [intakePerYear * Double(years.count - 1), nan, nan, nan, intakePerYear, intakePerYearSE, nan, nan])
        for (e, share) in intakeEthnicity.enumerated() {
            add("intake_ethnicity", c.ranks[0], c.ethnicities[e], "", [share.count, nan, nan, nan, share.value, share.se, nan, nan])
        }
        for (g, share) in intakeGender.enumerated() {
            add("intake_gender", c.ranks[0], "", c.genders[g], [share.count, nan, nan, nan, share.value, share.se, nan, nan])
        }
        for (e, shares) in intakeGenderByEthnicity.enumerated() {
            for (g, share) in shares.enumerated() {
                add("intake_gender_given_ethnicity", c.ranks[0], c.ethnicities[e], c.genders[g],
                    [share.count, nan, nan, nan, share.value, share.se, nan, nan])
            }
        }
        return CSVWriter.table(
            ["parameter", "rank", "ethnicity", "gender", "events", "exposure", "raw", "raw_se", "estimate", "se", "prior_mean", "prior_strength"],
            rows)
    }
}
