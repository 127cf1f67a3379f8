"""Benchmark peer: pyHanko signing and verifying one-page PDFs in one warm Python process.

Prints one JSON line per measurement, as bench/common.ts's Measurement.

    python3 pyhanko_bench.py sign IN.pdf KEYSTORE.p12 PASSWORD N
    python3 pyhanko_bench.py verify SIGNED.pdf ROOT.pem N

Verification is what kyso's verify row does: each signature intact and valid, and trusted through a path to the
root (no revocation fetched: the benchmark's PKI publishes none). A document that fails stops the run.
"""
import io
import json
import resource
import sys
import time

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

try:
    from pyhanko.sign.validation.settings import KeyUsageConstraints
except ImportError:  # older pyHanko
    from pyhanko.sign.general import KeyUsageConstraints


def measure(name, n, body):
    for _ in range(max(20, n // 5)):  # warm-up, as for the other warm peers
        body()
    start = time.perf_counter()
    for _ in range(n):
        body()
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"name": name, "docs": n, "seconds": seconds, "docsPerSecond": n / seconds, "maxRssMB": rss}))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        pdf = f.read()
    if mode == "sign":
        signer = signers.SimpleSigner.load_pkcs12(sys.argv[3], passphrase=sys.argv[4].encode())
        meta = signers.PdfSignatureMetadata(field_name="Signature1", reason="Benchmark", location="Ha Noi")

        def sign():
            out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
            if len(out.getvalue()) <= len(pdf):
                raise RuntimeError("no incremental update")

        measure("pyHanko sign", int(sys.argv[5]), sign)
    else:
        root = load_cert_from_pemder(sys.argv[3])
        # the test PKI's signing certificate need not carry non-repudiation, which pyHanko asks for by default
        usage = KeyUsageConstraints(key_usage=set())

        def verify():
            sigs = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
            if not sigs:
                raise RuntimeError("no signature")
            for sig in sigs:
                vc = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
                status = validate_pdf_signature(sig, vc, key_usage_settings=usage)
                if not (status.intact and status.valid and status.trusted):
                    raise RuntimeError(f"pyHanko: {status.summary()}")

        measure("pyHanko verify", int(sys.argv[4]), verify)


main()
