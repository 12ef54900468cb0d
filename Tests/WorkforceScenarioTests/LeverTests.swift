import Foundation
import Testing
import Workforce
@testable import WorkforceScenario

/// The `levers:` section: reading and validating it (exact diagnostics), setting levers in memory
/// (the same model as the YAML written by hand), and `text(with:)` (the same model again).
struct LeverTests {
    /// `Fixtures.small` with uncertain inputs to move, then a levers section from line 39.
    static let scenario = Fixtures.small
        .replacingOccurrences(of: "ethnicity: {White: rest, Black: 0.2}",
                              with: "ethnicity: {White: rest, Black: {value: 0.2, year_to_year: 0.3}}")
        .replacingOccurrences(of: "Sergeant: [0.05, 0.04]\n", with: "Sergeant: [0.05, 0.04]\n  multipliers:\n    - {ethnicities: Black, factor: {uniform: [1.1, 1.3]}}\n")
        + """
        levers:
          - name: black-recruit-share
            label: Black share of recruits
            paths: recruitment[0].ethnicity.Black
            unit: share
            range: [0, 0.5]
            step: 0.01
            cost_per_unit: 200
          - name: black-leaving
            label: Black leaving relative to White
            paths: leaving.multipliers[0].factor
            unit: multiplier
            range: [0.5, 2]
            step: 0.05
          - name: leaving
            label: Every leaving rate, relative to as written
            paths: leaving.rates
            mode: scale
            unit: multiplier
            range: [0.5, 1.5]
            step: 0.1

        """

    static func document(_ text: String = scenario) -> ScenarioDocument {
        ScenarioLoader.document(text: text, file: "t.yaml", directory: "/nonexistent")
    }

    /// Every problem with the levers section of `scenario` with `old` replaced by `new`.
    static func problems(replacing old: String, with new: String) -> String {
        precondition(scenario.components(separatedBy: old).count == 2, "'\(old)' must occur once")
        do {
            let levers = try document(scenario.replacingOccurrences(of: old, with: new)).levers
            return "read \(levers.count) levers without problems"
        } catch {
            return error.description
        }
    }

    /// A model's every value, for comparing two models whole (dictionaries in key order;
    /// doubles in the shortest text that reads back exactly).
    static func dump(_ model: Model) -> String { canonical(model) }

    private static func canonical(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .dictionary?:
            return "[" + mirror.children.map { canonical($0.value) }.sorted().joined(separator: ", ") + "]"
        case .enum? where mirror.children.isEmpty, nil:
            return String(reflecting: value)
        default:
            return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? ""): \(canonical($0.value))" }.joined(separator: ", ") + ")"
        }
    }

    @Test func leversAreReadWithTheirCurrentValues() throws {
        let levers = try Self.document().levers
        #expect(levers.map(\.name) == ["black-recruit-share", "black-leaving", "leaving"])
        #expect(levers[0] == Lever(
            name: "black-recruit-share", label: "Black share of recruits", paths: [FieldPath("recruitment[0].ethnicity.Black")!],
            unit: .share, range: 0...0.5, step: 0.01, costPerUnit: 200, current: 0.2))
        #expect(levers[1].current == 1.2)  // the uniform's mean, to 12 significant digits
        #expect(levers[2].current == 1 && levers[2].mode == .scale)
    }

    @Test func settingALeverEqualsWritingTheYAMLByHand() throws {
        let document = Self.document()
        let set = try document.load(settings: [
            LeverSetting(lever: "black-recruit-share", value: 0.35), LeverSetting(lever: "black-leaving", value: 1.5),
            LeverSetting(lever: "leaving", value: 0.5),
        ]).model
        // The share keeps its year-to-year variation, the uniform its width, the table is halved.
        let byHand = try Fixtures.load(Self.scenario
            .replacingOccurrences(of: "Black: {value: 0.2, year_to_year: 0.3}", with: "Black: {value: 0.35, year_to_year: 0.3}")
            .replacingOccurrences(of: "{uniform: [1.1, 1.3]}", with: "{uniform: [1.4, 1.6]}")
            .replacingOccurrences(of: "Constable: [0.1, 0.05]", with: "Constable: [0.05, 0.025]")
            .replacingOccurrences(of: "Sergeant: [0.05, 0.04]", with: "Sergeant: [0.025, 0.02]")).model
        #expect(Self.dump(set) == Self.dump(byHand))
        #expect(Self.dump(set) != Self.dump(try document.load().model))
        // At its current value a lever changes nothing.
        let current = try document.load(settings: [LeverSetting(lever: "black-leaving", value: 1.2)]).model
        #expect(Self.dump(current) == Self.dump(try document.load().model))
    }

    @Test func theVariantsTextLoadsToTheSameModel() throws {
        let document = Self.document()
        let settings = [LeverSetting(lever: "black-recruit-share", value: 0.3), LeverSetting(lever: "leaving", value: 1.2)]
        let text = try document.text(with: settings)
        let reloaded = try Fixtures.load(text).model
        #expect(Self.dump(reloaded) == Self.dump(try document.load(settings: settings).model))
        // Rewritten in place: the comments and layout kept, only the moved numbers differ.
        #expect(text.contains("Black: {value: 0.3, year_to_year: 0.3}"))
        #expect(text.contains("Constable: [0.12, 0.06]"))
        #expect(text.components(separatedBy: "\n").count == Self.scenario.components(separatedBy: "\n").count)
        #expect(try document.text(with: []) == Self.scenario)
    }

    @Test func aNumberWrittenOnceThroughAnAliasIsRewrittenOnce() throws {
        let text = Self.scenario.replacingOccurrences(of: "Constable: [0.1, 0.05]\n    Sergeant: [0.05, 0.04]",
                                                      with: "Constable: &rates [0.1, 0.05]\n    Sergeant: *rates")
        let document = Self.document(text)
        let variant = try document.text(with: [LeverSetting(lever: "leaving", value: 0.5)])
        #expect(variant.contains("Constable: &rates [0.05, 0.025]\n    Sergeant: *rates"))
        #expect(Self.dump(try Fixtures.load(variant).model)
                == Self.dump(try document.load(settings: [LeverSetting(lever: "leaving", value: 0.5)]).model))
    }

    @Test func assignmentsKeepTheVariationAsALeverDoes() throws {
        let document = Self.document()
        let assigned = try document.load(assignments: [FieldAssignment(path: FieldPath("leaving.multipliers[0].factor")!, value: 1.5)]).model
        let lever = try document.load(settings: [LeverSetting(lever: "black-leaving", value: 1.5)]).model
        #expect(Self.dump(assigned) == Self.dump(lever))
        // The same as --set of the number at the path: identical models.
        let setText = try document.load(overrides: ["recruitment[0].ethnicity.Black.value=0.25"]).model
        let setTyped = try document.load(assignments: [FieldAssignment(path: FieldPath("recruitment[0].ethnicity.Black")!, value: 0.25)]).model
        #expect(Self.dump(setText) == Self.dump(setTyped))
    }

    @Test func settingsAreChecked() {
        let document = Self.document()
        func problems(_ settings: [LeverSetting]) -> String {
            do {
                _ = try document.load(settings: settings)
                return "loaded"
            } catch {
                return error.description
            }
        }
        #expect(problems([LeverSetting(lever: "black-recruit-shares", value: 0.3)]) == """
            <--lever black-recruit-shares=0.3>: unknown lever 'black-recruit-shares' in t.yaml (did you mean 'black-recruit-share'?); expected one of: black-recruit-share, black-leaving, leaving
            """)
        #expect(problems([LeverSetting(lever: "black-leaving", value: 2.5)]) == """
            <--lever black-leaving=2.5>: 2.5 is outside the lever's range 0.5...2; expected a value in it (Black leaving relative to White)
            """)
        #expect(problems([LeverSetting(lever: "leaving", value: 1.5), LeverSetting(lever: "leaving", value: 1)]) == """
            <--lever leaving=1>: lever 'leaving' is set twice; expected each lever once
            """)
        // A value the model refuses is reported at the setting.
        let negative = Self.document(Self.scenario.replacingOccurrences(of: "unit: multiplier\n    range: [0.5, 2]", with: "unit: number\n    range: [-1, 2]"))
        do {
            _ = try negative.load(settings: [LeverSetting(lever: "black-leaving", value: -1)])
            Issue.record("a negative leaving factor loaded")
        } catch {
            #expect(error.description.hasPrefix("<--lever black-leaving=-1>: leaving.multipliers[0].factor"), "\(error)")
        }
        #expect(throws: ScenarioError.self) { try ScenarioDocument.leverSetting("black-leaving") }
        #expect((try? ScenarioDocument.leverSetting("black-leaving=1.25")) == LeverSetting(lever: "black-leaving", value: 1.25))
    }

    @Test func unknownPathsAndPathsThatAreNotNumbers() {
        #expect(Self.problems(replacing: "paths: recruitment[0].ethnicity.Black", with: "paths: recruitment[0].ethnicity.Blak") == """
            t.yaml:44:12: levers[0].paths: no input at 'recruitment[0].ethnicity.Blak'; expected the field path of a number or distribution in the scenario, e.g. recruitment[0].ethnicity[0].shares.Black
            """)
        #expect(Self.problems(replacing: "paths: recruitment[0].ethnicity.Black", with: "paths: [\"recruitment[0].ethnicity\"]") == """
            t.yaml:44:13: levers[0].paths[0]: 'recruitment[0].ethnicity' is a mapping, not a number; expected the path of a number or a distribution (or mode: scale for a table)
            """)
        #expect(Self.problems(replacing: "paths: recruitment[0].ethnicity.Black", with: "paths: simulation.replications") == """
            t.yaml:44:12: levers[0].paths: 'simulation.replications' is in the simulation section; expected the field path of a number or distribution in the scenario, e.g. recruitment[0].ethnicity[0].shares.Black
            """)
        #expect(Self.problems(replacing: "paths: recruitment[0].ethnicity.Black", with: "paths: recruitment[0.ethnicity") == """
            t.yaml:44:12: levers[0].paths: malformed path 'recruitment[0.ethnicity'; expected the field path of a number or distribution in the scenario, e.g. recruitment[0].ethnicity[0].shares.Black
            """)
    }

    @Test func rangesStepsAndCosts() {
        #expect(Self.problems(replacing: "range: [0, 0.5]", with: "range: [0.3, 0.5]") == """
            t.yaml:46:12: levers[0].range: [0.3, 0.5] does not contain the current value 0.2; expected a range that contains it
            """)
        #expect(Self.problems(replacing: "range: [0, 0.5]", with: "range: [0, 1.5]") == """
            t.yaml:46:12: levers[0].range: [0, 1.5] goes outside 0...1 for a share; expected a range within 0...1
            """)
        #expect(Self.problems(replacing: "range: [0.5, 2]", with: "range: [2, 0.5]") == """
            t.yaml:53:12: levers[1].range: [2, 0.5] is empty; expected [min, max] with min < max, the values the lever may take
            """)
        #expect(Self.problems(replacing: "step: 0.01", with: "step: 0") == """
            t.yaml:47:11: levers[0].step: 0 is not above 0; expected the step between the values offered, > 0
            """)
        #expect(Self.problems(replacing: "step: 0.05", with: "step: 2") == """
            t.yaml:54:11: levers[1].step: 2 is wider than the range (1.5); expected a step > 0 and at most the range's width
            """)
        #expect(Self.problems(replacing: "cost_per_unit: 200", with: "cost_per_unit: -1") == """
            t.yaml:48:20: levers[0].cost_per_unit: -1 is negative; expected the cost of one unit of the lever, ≥ 0
            """)
        #expect(Self.problems(replacing: "unit: share", with: "unit: percent") == """
            t.yaml:45:11: levers[0].unit: unknown unit 'percent'; expected one of: share, multiplier, count, rate, number
            """)
    }

    @Test func namesAndPathsAreEachUsedOnce() {
        #expect(Self.problems(replacing: "name: black-leaving", with: "name: black-recruit-share") == """
            t.yaml:49:11: levers[1].name: lever name 'black-recruit-share' is used twice; expected each lever's name once
            """)
        #expect(Self.problems(replacing: "name: black-leaving", with: "name: black leaving") == """
            t.yaml:49:11: levers[1].name: 'black leaving' is not an identifier; expected a letter, then letters, digits, - or _ (e.g. bame-recruit-share)
            """)
        #expect(Self.problems(replacing: "paths: leaving.rates", with: "paths: leaving.rates.Sergeant") == "read 3 levers without problems")
        #expect(Self.problems(replacing: "paths: leaving.rates", with: "paths: [leaving.rates, leaving.multipliers]") == """
            t.yaml:57:28: levers[2].paths[1]: 'leaving.multipliers' is moved by lever 'black-leaving' too; expected each input in one lever
            """)
        #expect(Self.problems(
            replacing: "paths: recruitment[0].ethnicity.Black", with: "paths: [\"recruitment[0].ethnicity.Black\", \"establishment.Constable[0].value\"]") == """
            t.yaml:44:12: levers[0].paths: 'recruitment[0].ethnicity.Black' is 0.2 but 'establishment.Constable[0].value' is 100; expected inputs with one value to move together (or mode: scale, which multiplies each)
            """)
    }

    @Test func fieldPathsAreParsedOnce() throws {
        let path = try #require(FieldPath("recruitment[0].ethnicity[1].shares.BAME.share.value"))
        #expect(path.steps == [.key("recruitment"), .index(0), .key("ethnicity"), .index(1), .key("shares"), .key("BAME"), .key("share"), .key("value")])
        #expect(path.description == "recruitment[0].ethnicity[1].shares.BAME.share.value")
        #expect(path == FieldPath.root.key("recruitment").index(0).key("ethnicity").index(1).key("shares").key("BAME").key("share").key("value"))
        #expect(path.parent?.description == "recruitment[0].ethnicity[1].shares.BAME.share")
        #expect(path.isWithin(FieldPath("recruitment[0]")!) && !path.isWithin(FieldPath("recruitment[1]")!))
        for bad in ["", "a..b", "a[", "a[-1]", "a[x]", "[0]"] { #expect(FieldPath(bad) == nil, "\(bad)") }
        let json = try JSONEncoder().encode([path])
        #expect(String(decoding: json, as: UTF8.self) == #"["recruitment[0].ethnicity[1].shares.BAME.share.value"]"#)
        #expect(try JSONDecoder().decode([FieldPath].self, from: json) == [path])
    }

    @Test func theShippedScenariosLeversAreValid() throws {
        for name in ["example", "met-action-plan", "met-2021-current-trends", "met-retention", "met-recruitment-funnel", "met-what-it-takes"] {
            let document = try ScenarioLoader.document(path: "\(Fixtures.packageRoot)/Scenarios/\(name).yaml")
            let levers = try document.levers
            #expect(levers.count >= 5, "\(name)")
            // Every lever at either end of its range loads, and its text loads to the same model.
            for lever in levers {
                for value in [lever.range.lowerBound, lever.range.upperBound] {
                    let settings = [LeverSetting(lever: lever.name, value: value)]
                    let model = try document.load(settings: settings).model
                    let text = try document.text(with: settings)
                    // Rewritten in place (comments and layout kept), not written out afresh.
                    #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count
                            == document.text.split(separator: "\n", omittingEmptySubsequences: false).count, "\(name) \(lever.name)")
                    #expect(text.contains("# "), "\(name) \(lever.name): comments kept")
                    let reloaded = try ScenarioLoader.document(text: text, file: "v.yaml", directory: "\(Fixtures.packageRoot)/Scenarios").load().model
                    #expect(Self.dump(reloaded) == Self.dump(model), "\(name) \(lever.name)=\(value)")
                }
            }
        }
    }

    /// The law of a move, form by form (docs/scenario-format.md#levers): the centre moves to the
    /// value, the variation is kept.
    @Test func eachFormMovesItsCentreAndKeepsItsVariation() {
        func site(_ form: NumberSite.Form, _ numbers: [Double]) -> NumberSite { NumberSite(path: .root, form: form, numbers: numbers) }
        #expect(site(.number, [0.2]).moved(to: 0.3) == [0.3])
        #expect(site(.uniform, [1.1, 1.3]).centre == 1.2)
        #expect(site(.uniform, [1.1, 1.3]).moved(to: 1.5) == [1.4, 1.6])               // shifted: width kept
        #expect(site(.triangular, [1.0, 1.3, 1.6]).moved(to: 1.5) == [1.2, 1.5, 1.8])  // shifted: shape kept
        #expect(site(.normal, [3000, 250]).moved(to: 3500) == [3500, 250])            // sd kept
        #expect(site(.beta, [2, 8]).centre == 0.2)
        #expect(site(.beta, [2, 8]).moved(to: 0.3) == [3, 7])                         // a + b kept
        #expect(site(.beta, [2, 2, 0.5, 1.5]).centre == 1)
        #expect(site(.beta, [2, 2, 0.5, 1.5]).moved(to: 1.2) == [2, 2, 0.7, 1.7])     // a, b kept; shifted
        #expect(site(.uniform, [1.1, 1.3]).moved(to: 1.2) == [1.1, 1.3])              // at the centre: unchanged
    }

    @Test func theSweepSectionTakesALever() throws {
        let text = Self.scenario + """
            sweep:
              vary:
                - {lever: black-leaving, values: [1, 1.5]}
                - {path: "recruitment[0].size.per_year", from: 10, to: 30, step: 10}

            """
        let sweep = try #require(try Fixtures.load(text).sweep)
        #expect(sweep.parameters.map(\.path) == ["black-leaving", "recruitment[0].size.per_year"])
        #expect(sweep.parameters.map(\.lever) == [true, false])
        #expect(Fixtures.problems(text.replacingOccurrences(of: "{lever: black-leaving,", with: "{lever: black-leaving, path: a.b,"))
                .hasSuffix("sweep.vary[0].path: path given with lever; expected either a path or a lever"))
    }
}
