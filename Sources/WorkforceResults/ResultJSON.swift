import Foundation
import WorkforceFormats
import Workforce

/// The one JSON form of every result file: pretty-printed, keys sorted and in snake_case, slashes
/// unescaped; read back by `decode` with the same key convention.
package enum ResultJSON {
    /// `value` as a result file's text (ending in a line break).
    package static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// How a type's JSON keys are named.
    package enum Keys: Sendable {
        /// Made from the property names (`observedFile` ↔ `observed_file`): every key of the type
        /// and of the types inside it comes from a property name.
        case converted
        /// Declared by the type's `CodingKeys` in snake case wherever they differ from the property
        /// name (`in50` ↔ `in_50`, which conversion cannot read back), in it and in every type inside.
        case declared
    }

    /// Reads a result file written by `encode`; a file that is not one is a `InputError`
    /// naming it and what was wrong (the missing key or the value of the wrong type).
    package static func decode<T: Decodable>(_ type: T.Type, _ text: String, file: String, keys: Keys = .converted) throws(InputError) -> T {
        let decoder = JSONDecoder()
        if keys == .converted { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(file: file, "no '\(path(context.codingPath + [key]))'; expected a file written by workforce")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context) {
            throw InputError(file: file, "\(path(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw InputError(file: file, "not JSON (\(error))")
        }
    }

    /// A coding path as the file's keys write it: `targets[0].first_met`.
    private static func path(_ keys: [CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + snake(key.stringValue) }
        }
        return out.isEmpty ? "(top level)" : out
    }

    private static func snake(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

