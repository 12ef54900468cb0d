import ArgumentParser
import Foundation
import Workforce
import WorkforceScenario

extension WorkforceCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files and report every problem, without running them.")

        @OptionGroup var scenarios: ScenarioOptions

        func run() throws {
            let loaded = try Frontend.load(scenarios)
            for scenario in loaded {
                // As `run` would: a scenario whose replications cannot fit in memory fails here too.
                let options = Engine.Options(
                    replications: scenario.model.timeline.replications, seed: 0,
                    threads: ProcessInfo.processInfo.activeProcessorCount)
                try Frontend.checkMemory(scenario.model, options, holdsRecords: false, file: scenario.file, fromOption: false)
            }
            for scenario in loaded {
                let d = scenario.model.dimensions
                print("ok: \(scenario.file) (\(d.ranks.count) ranks, \(d.ethnicities.count) ethnicities × \(d.genders.count) genders, \(scenario.model.initial.reduce(0, +)) officers, \(scenario.model.targets.count) targets)")
            }
        }
    }
}
