import Foundation
import WorkforceScenario

/// The seam between the workbench and the scenario's named levers (issue 24, item 1): what can
/// be moved, a variant's model, and a variant's scenario text. Every setting has been checked
/// against `levers` (`Workbench.check`) before it reaches `load` or `text`.
enum Variants {
    /// The scenario's levers, as the page shows them.
    static func levers(_ document: ScenarioDocument) throws(ScenarioError) -> [API.Lever] {
        []
    }

    /// The variant's validated model.
    static func load(_ document: ScenarioDocument, settings: [API.Setting]) throws(ScenarioError) -> LoadedScenario {
        try document.load(overrides: [])
    }

    /// The variant as scenario text; `workforce run` on it gives the variant's numbers.
    static func text(_ document: ScenarioDocument, settings: [API.Setting]) throws -> String {
        String(decoding: FileManager.default.contents(atPath: document.file) ?? Data(), as: UTF8.self)
    }
}
