/* hash.c: --hash FIELD[=ALG] replaces a string or number field with the hex
 * digest of its value: sha256 (default), sha1, md5 (OpenSSL's libcrypto) or
 * xxh64 (libxxhash, for fast bucketing). With --hash-key FILE the digest is
 * an HMAC keyed with the file's bytes (a trailing newline is not part of the
 * key), so pseudonymized values cannot be reversed with a dictionary.
 *
 * A string is hashed as its decoded text ("a\u0040b" and "a@b" agree), a
 * number as written. A record without the field passes unchanged; a field
 * of another type is rejected. Each worker thread keeps its own digest or
 * MAC context, so hashing allocates nothing per record. libcrypto is
 * opened by the first --hash that needs it (see dynlib.h). */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "config.h"
#include "dynlib.h"
#include "json.h"
#include "processor.h"

#define LIBCRYPTO_FUNCTIONS(X, t) \
    X(t, EVP_MD_fetch) X(t, EVP_MD_free) X(t, EVP_MD_CTX_new) X(t, EVP_MD_CTX_free) \
    X(t, EVP_DigestInit_ex2) X(t, EVP_DigestUpdate) X(t, EVP_DigestFinal_ex) \
    X(t, EVP_MAC_fetch) X(t, EVP_MAC_free) X(t, EVP_MAC_CTX_new) X(t, EVP_MAC_CTX_free) \
    X(t, EVP_MAC_init) X(t, EVP_MAC_update) X(t, EVP_MAC_final) \
    X(t, OSSL_PARAM_construct_utf8_string) X(t, OSSL_PARAM_construct_end)
JP_DYNLIB(libcrypto, lc, LIBCRYPTO_FUNCTIONS, JP_SONAME_CRYPTO);

typedef struct hash {
    int field;
    EVP_MD *md;         /* NULL for xxh64 */
    EVP_MAC *mac;       /* with --hash-key */
    char *md_name;
    unsigned char *key;
    size_t key_len;
} hash;

typedef struct hash_local {
    EVP_MD_CTX *md;
    EVP_MAC_CTX *mac;
    jp_buf text;       /* the decoded string */
} hash_local;

static void hash_destroy(void *arg)
{
    hash *self = arg;
    /* Set only once libcrypto is loaded: xxh64 runs without it. */
    if (self->mac)
        lc.EVP_MAC_free(self->mac);
    if (self->md)
        lc.EVP_MD_free(self->md);
    free(self->md_name);
    if (self->key)
        explicit_bzero(self->key, self->key_len);
    free(self->key);
    free(self);
}

static int read_key(hash *self, const char *path, char *err, size_t errlen)
{
    jp_buf key = {0};
    if (jp_buf_read_file(&key, path) < 0) {
        snprintf(err, errlen, "--hash-key %s: cannot read: %s", path, jp_buf_read_error(errno));
        jp_buf_free(&key);
        return -1;
    }
    if (key.len && key.data[key.len - 1] == '\n')
        key.len--;
    if (key.len && key.data[key.len - 1] == '\r')
        key.len--;
    if (!key.len) {
        snprintf(err, errlen, "--hash-key %s: the key file is empty", path);
        jp_buf_free(&key);
        return -1;
    }
    self->key = (unsigned char *)key.data;
    self->key_len = key.len;
    return 0;
}

static void *hash_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    size_t eq = jp_fields_find_unescaped(arg, '=');
    const char *alg = arg[eq] ? arg + eq + 1 : "sha256";
    const char *key_file = setup->setting_values[0];
    hash *self = jp_xcalloc(1, sizeof *self);

    if (strcmp(alg, "xxh64") == 0) {
        if (key_file) {
            snprintf(err, errlen, "xxh64 cannot be keyed: use sha256 with --hash-key");
            goto fail;
        }
    } else if (strcmp(alg, "sha256") == 0 || strcmp(alg, "sha1") == 0 || strcmp(alg, "md5") == 0) {
        const char *why;
        if (jp_dynlib_load(&libcrypto, &why) < 0) {
            snprintf(err, errlen, "%s needs libcrypto: %s", alg, why);
            goto fail;
        }
        /* Fetched once: an implicit fetch in every EVP_DigestInit takes
         * libcrypto's locks, which the worker threads would queue on. */
        self->md = lc.EVP_MD_fetch(NULL, alg, NULL);
        self->md_name = jp_xstrdup(alg);
        if (!self->md) {
            snprintf(err, errlen, "%s is not available in this libcrypto", alg);
            goto fail;
        }
    } else {
        snprintf(err, errlen, "unknown algorithm \"%s\" (sha256, sha1, md5, xxh64)", alg);
        goto fail;
    }
    if (key_file) {
        if (read_key(self, key_file, err, errlen) < 0)
            goto fail;
        self->mac = lc.EVP_MAC_fetch(NULL, "HMAC", NULL);
        if (!self->mac) {
            snprintf(err, errlen, "HMAC is not available in this libcrypto");
            goto fail;
        }
    }
    self->field = jp_fields_add(setup->fields, arg, eq, err, errlen);
    if (self->field < 0)
        goto fail;
    return self;
fail:
    hash_destroy(self);
    return NULL;
}

static void *hash_local_new(const void *arg)
{
    const hash *self = arg;
    hash_local *l = jp_xcalloc(1, sizeof *l);
    if (self->mac) {
        OSSL_PARAM params[] = {
            lc.OSSL_PARAM_construct_utf8_string("digest", self->md_name, 0),
            lc.OSSL_PARAM_construct_end(),
        };
        l->mac = lc.EVP_MAC_CTX_new(self->mac);
        if (!l->mac || !lc.EVP_MAC_init(l->mac, self->key, self->key_len, params))
            abort(); /* checked at create: only a broken libcrypto gets here */
    } else if (self->md) {
        l->md = lc.EVP_MD_CTX_new();
        if (!l->md)
            abort();
    }
    return l;
}

static void hash_local_free(void *arg)
{
    hash_local *l = arg;
    if (l->md)
        lc.EVP_MD_CTX_free(l->md);
    if (l->mac)
        lc.EVP_MAC_CTX_free(l->mac);
    jp_buf_free(&l->text);
    free(l);
}

static jp_verdict hash_process(const void *arg, void *local, jp_record *rec)
{
    const hash *self = arg;
    hash_local *l = local;
    const jp_value *v = jp_record_get(rec, self->field);
    if (!v) /* earlier copies of a duplicated parent may still hold one */
        return jp_record_unshadow(rec, self->field) ? JP_MODIFIED : JP_PASS;
    if (v->type != JP_STRING && v->type != JP_NUMBER)
        return jp_reject(rec, "cannot hash \"%s\": it is %s",
                         jp_record_field_path(rec, self->field), jp_type_phrase(v->type));

    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    const unsigned char *data = (const unsigned char *)bytes + v->start;
    size_t n = v->end - v->start;
    if (v->type == JP_STRING) {
        l->text.len = 0;
        jp_json_unquote(&l->text, bytes + v->start, n);
        data = (const unsigned char *)l->text.data;
        n = l->text.len;
    }

    unsigned char digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    if (l->mac) {
        /* A NULL key re-initialises with the key given before. */
        lc.EVP_MAC_init(l->mac, NULL, 0, NULL);
        lc.EVP_MAC_update(l->mac, data, n);
        lc.EVP_MAC_final(l->mac, digest, &dlen, sizeof digest);
    } else if (l->md) {
        unsigned int dl;
        lc.EVP_DigestInit_ex2(l->md, self->md, NULL);
        lc.EVP_DigestUpdate(l->md, data, n);
        lc.EVP_DigestFinal_ex(l->md, digest, &dl);
        dlen = dl;
    } else {
        XXH64_canonicalFromHash((XXH64_canonical_t *)digest, XXH64(data, n, 0));
        dlen = 8;
    }

    static const char hex[] = "0123456789abcdef";
    char out[2 * EVP_MAX_MD_SIZE + 2], *p = out;
    *p++ = '"';
    for (size_t i = 0; i < dlen; i++) {
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 15];
    }
    *p++ = '"';
    jp_record_set(rec, self->field, out, (size_t)(p - out));
    return JP_MODIFIED;
}

static const jp_setting hash_settings[] = {
    {"hash-key", "FILE", "make --hash an HMAC keyed with FILE's bytes"},
    {NULL, NULL, NULL},
};

const jp_processor_type jp_hash_processor = {
    .name = "hash",
    .metavar = "FIELD[=ALG]",
    .help = "replace by its digest (sha256, sha1, md5, xxh64)",
    .group = "enrich",
    .example = "--hash user.email --hash-key hmac.key",
    .cpu_heavy = 1,
    .create = hash_create,
    .local_new = hash_local_new,
    .local_free = hash_local_free,
    .process = hash_process,
    .destroy = hash_destroy,
    .settings = hash_settings,
};
