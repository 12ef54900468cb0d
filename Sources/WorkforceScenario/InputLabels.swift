import Foundation
import Workforce
import Yams

/// Every input of a scenario in words, for the tables and charts of `sensitivity`, `solve` and
/// the report: the scenario's own `labels:` section where it names one, else words made from
/// the input's place in the model ("BAME share of recruits into Constable from Apr 2022").
///
/// A label never changes what is run; the field path stays the input's identity in files and
/// on the command line (`--set`, `--vary`).
struct InputLabels {
    let model: Model
    /// Rank name → index, built once, so that labelling every input is linear in their number.
    private let rankIndex: [String: Int]

    init(_ model: Model) {
        self.model = model
        rankIndex = Dictionary(model.dimensions.ranks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The words for the input at `path`, made from the model's structure; nil for a path of a
    /// shape not described here (the path itself is then shown). Cost: O(path length + intakes).
    func describe(_ path: String) -> String? {
        let d = model.dimensions
        let parts = Self.components(path)
        func rankName(_ name: String) -> String? { rankIndex[name] != nil ? name : nil }
        func since<V>(_ dated: Dated<V>?, _ j: Int?) -> String {
            guard let dated, let j, j > 0, j < dated.entries.count else { return "" }
            return " from " + dated.entries[j].from.long
        }
        switch parts.first?.key {
        case "recruitment":
            guard let i = parts[0].index, i < model.intakes.count, parts.count >= 2 else { return nil }
            let intake = model.intakes[i]
            let into = "recruits into \(d.ranks[intake.rank])" + (model.intakeName(i).map { " (\($0))" } ?? "")
            switch parts[1].key {
            case "ethnicity", "gender":
                let dated = parts[1].key == "ethnicity" ? intake.ethnicity : intake.gender
                // `ethnicity[j].shares.Black` in a dated list, `ethnicity.Black` for one mapping.
                let c = (parts.firstIndex { $0.key == "shares" } ?? 1) + 1
                guard c < parts.count else { return nil }
                // With a funnel the shares are the applicants' (recruits are whoever passes).
                let whose = intake.funnel == nil ? into : "applicants for \(into)"
                return "\(parts[c].key) share of \(whose)" + since(dated, parts[1].index)
            case "gender_by_ethnicity":
                guard parts.count >= 4 else { return nil }
                return "\(parts.last!.key) share of \(parts[2].key) \(into)"
            case "funnel":
                guard let funnel = intake.funnel, parts.count >= 3 else { return nil }
                if parts[2].key == "applications_per_year" { return "Applications a year for \(into)" + since(funnel.applications, parts[2].index) }
                guard parts[2].key == "stages", let j = parts[2].index, j < funnel.stages.count else { return nil }
                let stage = funnel.stages[j]
                if parts.count >= 4, parts[3].key == "by_group", let k = parts[3].index, k < stage.byGroup.count {
                    // "Black officers" → "Black applicants".
                    let who = Self.groups(stage.byGroup[k].selector, d)
                    return "\(stage.name) pass rate of \(who.hasSuffix(" officers") ? String(who.dropLast(9)) : who) applicants for \(into)"
                }
                return "\(stage.name) pass rate of applicants for \(into)"
            case "size":
                if case .perYear(let dated) = intake.size { return "\(into.prefix(1).uppercased() + into.dropFirst()) a year" + since(dated, parts.count > 2 ? parts[2].index : nil) }
                return nil
            default:
                return nil
            }
        case "promotion":
            guard parts.count >= 2, let r = rankIndex[parts[1].key] else { return nil }
            let rank = d.ranks[r]
            if parts.count >= 3, parts[2].key == "odds", let k = parts[2].index, let rule = model.promotion[r], k < rule.odds.count {
                return "Promotion odds into \(rank) for \(Self.groups(rule.odds[k].selector, d))"
            }
            if parts.count >= 3, parts[2].key == "rate" { return "Promotion rate into \(rank)" }
            if parts.count >= 3, parts[2].key == "apply" { return "Share of eligible officers applying for \(rank) a year" }
            if parts.count >= 3, parts[2].key == "pass" { return "Promotion pass rate into \(rank)" }
            if parts.count >= 3, parts[2].key == "pass_by_group", let k = parts[2].index, let rule = model.promotion[r],
               case .passRate(_, _, let byGroup) = rule.mode, k < byGroup.count {
                return "Promotion pass rate into \(rank) for \(Self.groups(byGroup[k].selector, d))"
            }
            return nil
        case "leaving", "transfers_out":
            let (table, noun) = parts[0].key == "leaving" ? (model.leaving, "Leaving") : (model.transfersOut, "Transfer-out")
            guard parts.count >= 2, let table else { return nil }
            if parts[1].key == "rates", parts.count >= 3, let rank = rankName(parts[2].key), let band = parts[2].index, band < table.bands.count {
                let b = table.bands[band]
                return "\(noun) rate of \(rank)s with \(b.lowerBound)–\(b.upperBound) years' service"
            }
            if parts[1].key == "multipliers", let k = parts[1].index, k < table.multipliers.count {
                return "\(noun) multiplier for \(Self.groups(table.multipliers[k].selector, d))"
            }
            return nil
        case "interventions":
            guard let k = parts[0].index, k < model.interventions.count else { return nil }
            let intervention = model.interventions[k]
            switch intervention.effect {
            case .leaving: return "\(intervention.name): leaving multiplier"
            case .transfersOut: return "\(intervention.name): transfer-out multiplier"
            case .promotionOdds: return "\(intervention.name): promotion odds"
            case .promotionPass: return "\(intervention.name): promotion pass rate"
            case .stagePass(let stage, _): return "\(intervention.name): \(stage) pass rate multiplier"
            case .intakeShares: return parts.count >= 3 ? "\(intervention.name): \(parts.last!.key) share of recruits" : intervention.name
            }
        case "establishment":
            guard parts.count >= 2, let r = rankIndex[parts[1].key] else { return nil }
            return "Establishment of \(d.ranks[r])" + since(model.establishment[r], parts[1].index)
        default:
            return nil
        }
    }


    /// The groups a selector picks, in the scenario's words: an aggregate's name where the
    /// selected ethnicities are exactly its members, else the categories; "all officers" for all.
    private static func groups(_ s: Selector, _ d: Dimensions) -> String {
        func names(_ mask: [Bool], _ all: [String], _ dimension: Aggregate.Dimension) -> String? {
            guard mask.contains(false) else { return nil }
            let chosen = mask.indices.filter { mask[$0] }
            if let aggregate = d.aggregates.first(where: { $0.dimension == dimension && Set($0.members) == Set(chosen) }) { return aggregate.name }
            return chosen.map { all[$0] }.joined(separator: ", ")
        }
        let words = [names(s.ethnicities, d.ethnicities, .ethnicity), names(s.genders, d.genders, .gender)].compactMap { $0 }
        return words.isEmpty ? "all officers" : words.joined(separator: " ") + " officers"
    }

    /// `recruitment[1].ethnicity[0].shares.BAME.share` → (recruitment, 1), (ethnicity, 0),
    /// (shares, nil), (BAME, nil), (share, nil).
    private static func components(_ path: String) -> [(key: String, index: Int?)] {
        path.split(separator: ".").map { piece in
            guard let open = piece.firstIndex(of: "["), piece.last == "]" else { return (String(piece), nil) }
            return (String(piece[..<open]), Int(piece[piece.index(after: open)..<piece.index(before: piece.endIndex)]))  // checked: Int(String) returns nil when the text does not fit
        }
    }
}

extension ScenarioReader {
    /// Reads the `labels:` section (field path → words) and gives every input its label: the
    /// section's where it names one, else `InputLabels.describe`. A key that is no input's path
    /// is a diagnostic that lists the closest input paths.
    mutating func applyLabels(_ node: Node?, _ path: FieldPath, to model: inout Model) {
        var given: [String: String] = [:]
        if let node, let entries = entries(node, path, expected: "input field paths, each with its label in words") {
            let known = Set(model.parameters.map(\.path))
            for entry in entries {
                guard known.contains(entry.name) else {
                    let close = model.parameters.map(\.path).filter { $0.hasPrefix(entry.name.split(separator: ".").first.map(String.init) ?? "") }.prefix(3)
                    report(
                        "no input has this field path; expected the path of a number of the scenario, as `sensitivity` and `--set` name it"
                            + (close.isEmpty ? "" : " (e.g. \(close.joined(separator: ", ")))"),
                        at: entry.key, entry.path)
                    continue
                }
                if let text = text(entry.value, entry.path, expected: "a label in words") { given[entry.name] = text }
            }
        }
        let labels = InputLabels(model)
        for i in model.parameters.indices {
            let p = model.parameters[i].path
            // A varying number's words are those of its place (`….value` dropped).
            model.parameters[i].label = given[p] ?? labels.describe(model.parameters[i].streamPath)
        }
    }
}
