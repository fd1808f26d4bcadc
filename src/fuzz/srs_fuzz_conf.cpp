// libFuzzer target of the config parser and loader: any bytes must give a tree or an error, never
// a crash, and what dumps() writes must parse back to the same tree.
// Build with -DSRS_FUZZ=ON (clang); run: ./srs_fuzz_conf src/fuzz/corpus/conf
#include <srs_app_config.hpp>
#include <srs_core_log.hpp>
#include <srs_protocol_conf.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static bool init = false;
    if (!init) {
        srs_logger().configure(SrsLogLevelDisabled, "");
        init = true;
    }
    std::string text(reinterpret_cast<const char*>(data), size);
    // No includes of arbitrary paths from fuzzed input.
    if (text.find("include") != std::string::npos) {
        return 0;
    }
    SrsConfParser parser;
    std::unique_ptr<SrsConfDirective> root;
    srs_error_t err = parser.parse_string(text, "<fuzz>", &root);
    if (err != srs_success) {
        srs_error_reset(err);
        return 0;
    }

    std::string dumped = root->dumps();
    SrsConfParser again;
    std::unique_ptr<SrsConfDirective> back;
    err = again.parse_string(dumped, "<dumps>", &back);
    if (err != srs_success || !back->equals(*root)) {
        fprintf(stderr, "dumps() does not parse back:\n%s\n", dumped.c_str());
        abort();
    }
    srs_error_reset(err);

    std::shared_ptr<SrsConfig> conf;
    err = SrsConfig::load_tree(std::move(root), "<fuzz>", &conf);
    if (err != srs_success) {
        srs_error_reset(err);
        return 0;
    }
    for (const std::string& v : conf->vhosts()) {
        (void)conf->vhost(v, srs_key::vhost_play_queue_length);
        (void)conf->vhost(v, srs_key::vhost_hls_hls_path);
    }
    // A snapshot never differs from itself: a change listed here would make every reload
    // re-apply (or restart) that section for nothing.
    std::vector<std::string> changes = SrsConfig::diff(*conf, *conf);
    if (!changes.empty()) {
        fprintf(stderr, "diff(conf, conf) is not empty: %s\n", changes[0].c_str());
        abort();
    }
    return 0;
}
