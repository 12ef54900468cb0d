import WorkforceFormats
import Foundation
import WorkforceScenario

/// The seam between the workbench and the scenario's named levers (`levers:`,
/// docs/scenario-format.md#levers): what can be moved, a variant's model, and a variant's
/// scenario text. Settings are checked against `levers` (`Workbench.check`) before they reach
/// `load` or `text`, which check them again (`ScenarioDocument`).
enum Variants {
    /// The scenario's levers, as the page shows them.
    static func levers(_ document: ScenarioDocument) throws(InputError) -> [API.Lever] {
        try document.levers.map { lever in
            API.Lever(
                name: lever.name, label: lever.label, unit: lever.unit.rawValue, min: lever.range.lowerBound, max: lever.range.upperBound,
                step: lever.step, current: lever.current, costPerUnit: lever.costPerUnit)
        }
    }

    /// The variant's validated model (parsed once: the document's tree with the levers' edits).
    static func load(_ document: ScenarioDocument, settings: [API.Setting]) throws(InputError) -> LoadedScenario {
        try document.load(settings: settings.map { LeverSetting(lever: $0.lever, value: $0.value) })
    }

    /// The variant as scenario text; `workforce run` on it gives the variant's numbers.
    static func text(_ document: ScenarioDocument, settings: [API.Setting]) throws(InputError) -> String {
        try document.text(with: settings.map { LeverSetting(lever: $0.lever, value: $0.value) })
    }
}
