import Foundation

/// Text written into a POSIX shell command as one word, for the commands we hand to a shell
/// (Claude Code's `headersHelper` runs with `sh -c`) or print for a person to paste.
package enum ShellWord {
    /// `text` in single quotes, each `'` in it written `'\''`: nothing inside is expanded.
    package static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `text` as it is when the shell would read it as one plain word, else `quoted(text)`.
    package static func minimallyQuoted(_ text: String) -> String {
        let plain =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "/._-:@%+=,".unicodeScalars.contains(scalar))
            }
        return plain ? text : quoted(text)
    }
}
