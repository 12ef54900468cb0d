import Foundation
import Workforce

/// The key assumptions of a scenario, in words, from its validated model: the period and
/// replications, the starting workforce, recruitment, leaving, promotion, interventions, targets
/// measured on another basis than all officers, and how many inputs are uncertain. Inputs are quoted as the scenario gives them (rates and shares as
/// percentages, distributions by their parameters).
package enum Assumptions {
    package static func list(_ model: Model) -> [String] {
        let d = model.dimensions
        let t = model.timeline
        var out: [String] = model.warnings.map { "Warning: " + $0 }
        let step = ["month": "monthly", "quarter": "quarterly", "year": "yearly"][t.step.rawValue] ?? t.step.rawValue
        out.append("Period: \(Dates.long(t.start)) to \(Dates.long(t.horizon)) in \(step) steps; \(t.replications) replications, seed \(t.seed).")

        let perRank = d.ranks.indices.map { r in
            (0..<d.groupCount).reduce(0) { sum, q in sum + (0..<d.maxService).reduce(0) { $0 + model.initial[d.cell(r, q, $1)] } }
        }
        out.append(
            "Starting workforce at \(Dates.long(t.start)): \(Figure(Double(model.initial.reduce(0, +))).count) officers ("
                + zip(d.ranks, perRank).map { "\($0) \(Figure(Double($1)).count)" }.joined(separator: ", ") + "); maximum service \(d.maxService) years.")

        for (i, intake) in model.intakes.enumerated() {
            // Two intakes into one rank are told apart by what they are (`Model.intakeName`).
            var text = "Recruitment into \(d.ranks[intake.rank])" + (model.intakeName(i).map { " (\($0))" } ?? "") + ": "
            switch intake.size {
            case .fillToEstablishment: text += "enough each step to fill the establishment"
            case .perYear(let dated): text += dates(dated) { "\(quantity($0, model)) a year" }
            case .allWhoPass: text += "every applicant who passes every stage"
            }
            if let funnel = intake.funnel {
                text += ", from " + dates(funnel.applications) { "\(quantity($0, model)) applications a year" }
                    + " through " + funnel.stages.map { stage in
                        "\(stage.name) (pass \(percent(stage.pass, model))"
                            + stage.byGroup.map { "; \(percent($0.pass, model)) for \(subset($0.selector, d, ranks: false))" }.joined() + ")"
                    }.joined(separator: ", ")
            }
            text += ". Ethnicity of \(intake.funnel == nil ? "recruits" : "applicants"): " + dates(intake.ethnicity) { shares($0, d.ethnicities, model) }
            text += ". Gender: " + dates(intake.gender) { shares($0, d.genders, model) }
            for (e, dated) in intake.genderByEthnicity.sorted(by: { $0.key < $1.key }) {
                text += "; for \(d.ethnicities[e]): " + dates(dated) { shares($0, d.genders, model) }
            }
            out.append(text + ".")
        }

        for flow in Flow.stepOrder {
            guard let table = model.rates(of: flow) else { continue }
            var text = "\(flow == .leavers ? "Leaving" : flow.title): annual probabilities by rank and \(table.bands.count) service bands"
            if !table.multipliers.isEmpty {
                text += "; multiplied by " + table.multipliers.map { "\(quantity($0.factor, model)) for \(subset($0.selector, d))" }.joined(separator: ", ")
            }
            if !table.overrides.isEmpty {
                text += "; own tables for " + table.overrides.map { subset($0.selector, d) }.joined(separator: ", ")
            }
            out.append(text + ".")
        }

        if !model.establishment.isEmpty {
            out.append("Establishment (funded headcount) set for " + model.establishment.keys.sorted().map { d.ranks[$0] }.joined(separator: ", ") + ".")
        }

        for r in model.promotion.keys.sorted() {
            let p = model.promotion[r]!
            var text = "Promotion into \(d.ranks[r]): "
            switch p.mode {
            case .rate(let rate): text += "each eligible officer at \(percent(rate, model)) a year"
            case .vacancy: text += "fills vacancies"
            case .passRate(let apply, let pass, let byGroup):
                text += "fills vacancies from those who pass a promotion process: \(percent(apply, model)) of eligible officers apply a year, "
                    + "\(percent(pass, model)) pass" + byGroup.map { ", \(percent($0.pass, model)) of \(subset($0.selector, d, ranks: false))" }.joined()
            }
            text += ", after \(p.minService) year\(p.minService == 1 ? "" : "s") of service"
            if !p.odds.isEmpty {
                text += "; relative odds " + p.odds.map { "\(quantity($0.factor, model)) for \(subset($0.selector, d, ranks: false))" }.joined(separator: ", ")
            }
            out.append(text + ".")
        }

        for i in model.interventions {
            var text = "\(i.name): from \(Dates.long(i.from))\(i.until.map { " until \(Dates.long($0))" } ?? ""), "
            switch i.effect {
            case .leaving(let f): text += "leaving × \(quantity(f, model)) for \(subset(i.selector, d))"
            case .transfersOut(let f): text += "transfers out × \(quantity(f, model)) for \(subset(i.selector, d))"
            case .promotionOdds(let f): text += "promotion odds × \(quantity(f, model)) for \(subset(i.selector, d))"
            case .promotionPass(let p): text += "promotion pass rate \(percent(p, model)) for \(subset(i.selector, d))"
            case .stagePass(let stage, let f): text += "\(stage) pass rate × \(quantity(f, model)) for \(subset(i.selector, d, ranks: false)) applicants"
            case .intakeShares(let ethnicity, let gender):
                text += "recruits into \(subset(i.selector, d, groups: false)) with shares "
                    + [ethnicity.map { shares($0, d.ethnicities, model) }, gender.map { shares($0, d.genders, model) }].compactMap { $0 }.joined(separator: "; ")
            }
            out.append(text + ".")
        }

        for t in model.targets where t.denominator.ethnicities.contains(false) || t.denominator.genders.contains(false) {
            let left = zip(d.ethnicities, t.denominator.ethnicities).filter { !$1 }.map(\.0) + zip(d.genders, t.denominator.genders).filter { !$1 }.map(\.0)
            out.append(
                "Target \"\(t.name)\" leaves \(left.joined(separator: ", ")) out of its share (numerator and denominator)"
                    + (t.population == .officers ? "; its fan is drawn on the same basis, apart from the fans of shares of all officers." : "."))
        }

        let uncertain = model.parameters.filter { if case .fixed = $0.distribution { false } else { true } }.count
        out.append(
            uncertain == 0
                ? "Every input is a fixed number."
                : "\(uncertain) input\(uncertain == 1 ? " is" : "s are") uncertain, each drawn once per replication from its distribution.")
        return out
    }

    /// The summary's main assumption: the ethnicity shares of the first intake's recruits (or
    /// applicants, through a funnel) as the scenario last sets them: "Recruits into Constable from
    /// Apr 2022: White the rest, Black 8.0%, Asian 16.3%, Mixed 7.7%, Other 8.0%". Nil with no intake.
    package static func main(_ model: Model) -> String? {
        guard let intake = model.intakes.first, let last = intake.ethnicity.entries.last else { return nil }
        let when = intake.ethnicity.entries.count > 1 ? " from \(Dates.long(last.from))" : ""
        return "\(intake.funnel == nil ? "recruits" : "applicants") into \(model.dimensions.ranks[intake.rank])\(when): "
            + shares(last.value, model.dimensions.ethnicities, model)
    }

    /// A dated value in words: "X from Dec 2021; Y from Apr 2022" (just "X" when constant).
    private static func dates<V>(_ dated: Dated<V>, _ describe: (V) -> String) -> String {
        if dated.entries.count == 1 { return describe(dated.entries[0].value) }
        return dated.entries.enumerated().map { i, entry in
            describe(entry.value) + (i == 0 ? " at first" : " from \(Dates.long(entry.from))")
        }.joined(separator: "; ")
    }

    /// A number or distribution: `3000`, `normal (mean 3000, sd 250)`, `uniform 1.05–1.25`.
    static func quantity(_ p: Parameter, _ model: Model, scale: Double = 1, unit: String = "") -> String {
        func n(_ x: Double) -> String { String(format: "%g", x * scale) + unit }
        switch model.parameters[p.index].distribution {
        case .fixed(let x): return n(x)
        case .uniform(let lo, let hi): return "uniform \(n(lo))–\(n(hi))"
        case .normal(let mean, let sd): return "normal (mean \(n(mean)), sd \(n(sd)))"
        case .beta(let a, let b, let lo, let hi):
            return "beta (\(String(format: "%g", a)), \(String(format: "%g", b)))" + (lo == 0 && hi == 1 ? "" : " on \(n(lo))–\(n(hi))")
        case .triangular(let lo, let mode, let hi): return "triangular \(n(lo))–\(n(hi)), mode \(n(mode))"
        }
    }

    private static func percent(_ p: Parameter, _ model: Model) -> String { quantity(p, model, scale: 100, unit: "%") }

    /// Shares in words: "White the rest, Black 8%, Asian 16.32%"; categories at 0 are left out.
    private static func shares(_ s: Shares, _ names: [String], _ model: Model) -> String {
        zip(names, s.entries).compactMap { name, entry in
            switch entry {
            case .rest: return "\(name) the rest"
            case .value(let p):
                if case .fixed(0) = model.parameters[p.index].distribution { return nil }
                return "\(name) \(percent(p, model))"
            case .part(let p, let fraction):
                // A fixed fraction of an aggregate's share (one draw for the aggregate).
                // The product is computed, not typed: one decimal, as every percentage on the page (0.23 × 0.191304 → 4.4%).
                if case .fixed(let x) = model.parameters[p.index].distribution {
                    return x * fraction == 0 ? nil : "\(name) " + String(format: "%.1f%%", x * fraction * 100)
                }
                return "\(name) " + String(format: "%.1f%%", fraction * 100) + " of \(percent(p, model))"
            }
        }.joined(separator: ", ")
    }

    /// A subset in words: "Black officers in Constable", "BAME", "all officers".
    /// `ranks: false` leaves the ranks out (promotion odds apply to one rank anyway); `groups:
    /// false` names only the ranks (intake shares select ranks only).
    private static func subset(_ s: Selector, _ d: Dimensions, ranks: Bool = true, groups: Bool = true) -> String {
        func names(_ mask: [Bool], _ all: [String], _ dimension: Aggregate.Dimension) -> String? {
            guard mask.contains(false) else { return nil }
            let members = mask.indices.filter { mask[$0] }
            if let aggregate = d.aggregates.first(where: { $0.dimension == dimension && $0.members.sorted() == members }) { return aggregate.name }
            return members.map { all[$0] }.joined(separator: "/")
        }
        var parts: [String] = []
        if groups {
            parts += [names(s.ethnicities, d.ethnicities, .ethnicity), names(s.genders, d.genders, .gender)].compactMap { $0 }
        }
        let rankNames = s.ranks.indices.filter { s.ranks[$0] }.map { d.ranks[$0] }.joined(separator: ", ")
        guard groups else { return s.ranks.contains(false) ? rankNames : "every rank" }
        let text = parts.isEmpty ? "all officers" : parts.joined(separator: " ")
        return ranks && s.ranks.contains(false) ? "\(text) in \(rankNames)" : text
    }
}
