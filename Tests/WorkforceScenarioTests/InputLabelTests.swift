import WorkforceFormats
import Testing
import Workforce
import WorkforceScenario

/// Inputs in words: the scenario's `labels:` where given, else made from the model.
@Suite struct InputLabelTests {
    static let example = Fixtures.packageRoot + "/Scenarios/example.yaml"

    static func label(_ model: Model, _ path: String) -> String? { model.parameters.first { $0.path == path }?.label }

    @Test func everyInputOfTheExampleHasWords() throws {
        let model = try ScenarioLoader.load(path: Self.example).model
        #expect(Self.label(model, "recruitment[0].ethnicity[1].shares.Black") == "Black share of recruits into Constable from Apr 2022")
        #expect(Self.label(model, "recruitment[0].ethnicity[0].shares.Black") == "Black share of recruits into Constable")
        #expect(Self.label(model, "promotion.Sergeant.odds[0].factor") == "Promotion odds into Sergeant for BAME officers")
        #expect(Self.label(model, "leaving.rates.Constable[0]") == "Leaving rate of Constables with 0–1 years' service")
        let unlabelled = model.parameters.filter { $0.label == nil }.map(\.path)
        #expect(unlabelled.isEmpty, "inputs without words: \(unlabelled)")
    }

    /// Two intakes into one rank are named by what they are, never "intake 1 of 2".
    @Test func intakesAreNamedByWhatTheyAre() throws {
        let model = try ScenarioLoader.load(path: Fixtures.packageRoot + "/Scenarios/met-action-plan.yaml").model
        let labels = model.parameters.compactMap(\.label)
        #expect(!labels.contains { $0.contains("intake 1 of") || $0.contains("intake 2 of") }, "\(labels)")
        #expect(labels.contains { $0.contains("recruits into Constable (the planned intake)") }, "\(labels)")
        #expect(labels.contains { $0.contains("recruits into Constable (the intake filling the establishment)") }, "\(labels)")
    }

    @Test func theScenarioCanNameAnInput() throws {
        let model = try ScenarioLoader.load(
            path: Self.example, overrides: [#"labels={"recruitment[0].ethnicity[1].shares.Black": "Black recruits (Action 8)"}"#]
        ).model
        #expect(Self.label(model, "recruitment[0].ethnicity[1].shares.Black") == "Black recruits (Action 8)")
        #expect(model.parameters.first { $0.path == "recruitment[0].ethnicity[1].shares.Black" }?.name == "Black recruits (Action 8)")
    }

    @Test func aLabelForNoInputIsReported() {
        #expect {
            try ScenarioLoader.load(path: Self.example, overrides: [#"labels={"recruitment[9].size": "nothing"}"#])
        } throws: { error in
            let text = (error as? InputError)?.diagnostics.map(\.description).joined(separator: "\n") ?? ""
            return text.contains("labels.recruitment[9].size: no input has this field path")
        }
    }
}
