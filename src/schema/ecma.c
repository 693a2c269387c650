/* ecma.c: ECMA-262 patterns in PCRE2's terms (ecma.h). The pattern is
 * walked once, keeping track of escapes and of character classes; what
 * changes is \s, \S, the names in \p{...}, \P{...}, and outside classes
 * $ (the end only: PCRE2's also matches before a final newline), . (no
 * line terminator: PCRE2's excludes only \n), [] and [^]; and \v, one
 * character in ECMA-262 but a class in PCRE2. */
#include <string.h>

#include "ecma.h"

/* ECMA-262's WhiteSpace and LineTerminator, as the inside of a class. */
static const char ws[] = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}"
                         "\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

/* Unicode's long names of general categories, and what PCRE2 calls them. */
static const struct { const char *name, *pcre; } categories[] = {
    {"Letter", "L"}, {"Cased_Letter", "L&"}, {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"}, {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"}, {"Mark", "M"}, {"Nonspacing_Mark", "Mn"},
    {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"}, {"Number", "N"},
    {"Decimal_Number", "Nd"}, {"digit", "Nd"}, {"Letter_Number", "Nl"},
    {"Other_Number", "No"}, {"Punctuation", "P"}, {"Symbol", "S"},
    {"Separator", "Z"}, {"Space_Separator", "Zs"}, {"Other", "C"}, {"Control", "Cc"},
};

void jp_ecma_to_pcre2(jp_buf *out, const char *src, size_t n)
{
    int in_class = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c != '\\' || i + 1 == n) {
            if (!in_class && c == '$') {
                jp_buf_puts(out, "\\z");
                continue;
            }
            if (!in_class && c == '.') {
                jp_buf_puts(out, "[^\\n\\r\\x{2028}\\x{2029}]");
                continue;
            }
            /* In ECMA-262, a ] just after [ or [^ closes the class: [] matches
             * nothing, [^] anything. */
            if (!in_class && c == '[' && i + 1 < n && src[i + 1] == ']') {
                jp_buf_puts(out, "(?!)");
                i++;
                continue;
            }
            if (!in_class && c == '[' && i + 2 < n && src[i + 1] == '^' && src[i + 2] == ']') {
                jp_buf_puts(out, "[\\s\\S]");
                i += 2;
                continue;
            }
            if (c == '[' && !in_class)
                in_class = 1;
            else if (c == ']' && in_class)
                in_class = 0;
            jp_buf_putc(out, c);
            continue;
        }
        char e = src[++i];
        if (e == 'v') {
            /* ECMA-262's \v is the one character; PCRE2's, a class. */
            jp_buf_puts(out, "\\x{0B}");
            continue;
        }
        if (e == 's' || (e == 'S' && !in_class)) {
            jp_buf_puts(out, in_class ? "" : e == 's' ? "[" : "[^");
            jp_buf_puts(out, ws);
            jp_buf_puts(out, in_class ? "" : "]");
            continue;
        }
        if ((e == 'p' || e == 'P') && i + 1 < n && src[i + 1] == '{') {
            const char *close = memchr(src + i + 2, '}', n - i - 2);
            size_t len = close ? (size_t)(close - (src + i + 2)) : 0;
            for (size_t k = 0; close && k < sizeof categories / sizeof categories[0]; k++)
                if (strlen(categories[k].name) == len &&
                    memcmp(categories[k].name, src + i + 2, len) == 0) {
                    jp_buf_printf(out, "\\%c{%s}", e, categories[k].pcre);
                    i += len + 2;
                    e = 0;
                    break;
                }
            if (!e)
                continue;
        }
        jp_buf_putc(out, '\\');
        jp_buf_putc(out, e);
    }
}
