// simdjson_probe.cpp: the simdjson side of tests/bench.sh and tests/strict-check.sh.
//
//   simdjson_probe FILE             parses FILE's NDJSON with dom::parser::parse_many on one
//                                   core and prints how many documents it holds
//   simdjson_probe --verdicts FILE  parses each line of FILE alone (dom::parser::parse) and
//                                   prints 1, or 0 and simdjson's reason, per line
//
// The count is what jsonpipe's pass-through is measured against: the fastest
// full validation simdjson offers for NDJSON. It is the dom API's parse_many,
// not ondemand's iterate_many: iterate_many is faster here only because it
// validates no more than what is read (UTF-8 and the structure, not the
// numbers, literals and escapes it skips), while dom builds and checks every
// value of every document, as jsonpipe does. The stage 1 thread of
// parse_many is turned off, so the measure is of one core.
//
// Build: g++ -O3 -std=c++17 -pthread -DSIMDJSON_THREADS_ENABLED=1 simdjson_probe.cpp -lsimdjson
// (the thread flags match how the library is built; they do not start threads).
#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>

static int jp_count_documents(const char *path)
{
    simdjson::padded_string json;
    if (auto error = simdjson::padded_string::load(path).get(json)) {
        std::fprintf(stderr, "simdjson_probe: %s: %s\n", path, simdjson::error_message(error));
        return 2;
    }
    simdjson::dom::parser parser;
    parser.threaded = false;
    simdjson::dom::document_stream stream;
    if (auto error = parser.parse_many(json).get(stream)) {
        std::fprintf(stderr, "simdjson_probe: %s\n", simdjson::error_message(error));
        return 1;
    }
    size_t count = 0;
    for (auto document : stream) {
        if (document.error()) {
            std::fprintf(stderr, "simdjson_probe: document %zu: %s\n", count + 1,
                         simdjson::error_message(document.error()));
            return 1;
        }
        count++;
    }
    std::printf("%zu\n", count);
    return 0;
}

// A line is what precedes a newline, or the end of the file.
static int jp_print_verdicts(const char *path)
{
    simdjson::padded_string file;
    if (auto error = simdjson::padded_string::load(path).get(file)) {
        std::fprintf(stderr, "simdjson_probe: %s: %s\n", path, simdjson::error_message(error));
        return 2;
    }
    std::string_view rest(file);
    simdjson::dom::parser parser;
    while (!rest.empty()) {
        size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        simdjson::padded_string padded(line);
        auto error = parser.parse(padded).error();
        if (error)
            std::printf("0 %s\n", simdjson::error_message(error));
        else
            std::printf("1\n");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2)
        return jp_count_documents(argv[1]);
    if (argc == 3 && std::strcmp(argv[1], "--verdicts") == 0)
        return jp_print_verdicts(argv[2]);
    std::fprintf(stderr, "usage: simdjson_probe [--verdicts] FILE\n");
    return 2;
}
