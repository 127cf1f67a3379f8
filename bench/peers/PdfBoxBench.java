// Benchmark peer: Apache PDFBox 2 signing and verifying one-page PDFs in one warm JVM, the CMS made and checked
// by BouncyCastle (PDFBox leaves CMS to the caller; its own examples use BouncyCastle). Prints one JSON line per
// measurement, as bench/common.ts's Measurement. Debian: libpdfbox2-java, libbcpkix-java (with bcprov, bcutil).
//
//   java -cp JARS:DIR PdfBoxBench sign IN.pdf KEYSTORE.p12 PASSWORD N
//   java -cp JARS:DIR PdfBoxBench verify SIGNED.pdf ROOT.pem N
//
// Verification is what kyso's verify row does: every signature's CMS (message digest over the signed ranges,
// signature value), the byte range covering the whole file for the last one, and the signer's path to the
// trusted root (PKIX, no revocation: the benchmark's PKI publishes none). A document that fails stops the run.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.util.*;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.*;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Selector;
import org.bouncycastle.util.Store;

public class PdfBoxBench {
  interface Body {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    byte[] pdf = Files.readAllBytes(Paths.get(args[1]));
    if (args[0].equals("sign")) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      char[] password = args[3].toCharArray();
      try (InputStream in = new FileInputStream(args[2])) {
        ks.load(in, password);
      }
      String alias = ks.aliases().nextElement();
      PrivateKey key = (PrivateKey) ks.getKey(alias, password);
      List<java.security.cert.Certificate> chain = Arrays.asList(ks.getCertificateChain(alias));
      measure("PDFBox 2.0.27 + BouncyCastle sign", Integer.parseInt(args[4]), () -> {
        byte[] signed = sign(pdf, key, chain);
        if (signed.length <= pdf.length) throw new IllegalStateException("no incremental update");
      });
    } else {
      X509Certificate root;
      try (InputStream in = new FileInputStream(args[2])) {
        root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      measure("PDFBox 2.0.27 + BouncyCastle verify", Integer.parseInt(args[3]), () -> verify(pdf, root));
    }
  }

  /** Warm-up (JIT, class loading: a warm JVM, as a service runs it), then `n` timed runs. */
  static void measure(String name, int n, Body body) throws Exception {
    for (int i = 0; i < Math.max(20, n / 5); i++) body.run();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) body.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "{\"name\":\"%s\",\"docs\":%d,\"seconds\":%.6f,\"docsPerSecond\":%.3f,\"maxRssMB\":%.1f}%n",
        name, n, seconds, n / seconds, peakRssMB());
  }

  static byte[] sign(byte[] pdf, PrivateKey key, List<java.security.cert.Certificate> chain) throws IOException {
    try (PDDocument doc = PDDocument.load(pdf)) {
      PDSignature sig = new PDSignature();
      sig.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      sig.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
      sig.setName("bench");
      sig.setReason("Benchmark");
      sig.setLocation("Ha Noi");
      sig.setSignDate(Calendar.getInstance());
      SignatureInterface cms = content -> {
        try {
          X509Certificate cert = (X509Certificate) chain.get(0);
          CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
          gen.addSignerInfoGenerator(
              new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                  .build(new JcaContentSignerBuilder("SHA256withRSA").build(key), cert));
          gen.addCertificates(new JcaCertStore(chain));
          return gen.generate(new CMSProcessableByteArray(content.readAllBytes()), false).getEncoded();
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException | CMSException e) {
          throw new IOException(e);
        }
      };
      doc.addSignature(sig, cms);
      ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 32768);
      doc.saveIncremental(out);
      return out.toByteArray();
    }
  }

  static void verify(byte[] pdf, X509Certificate root) throws Exception {
    try (PDDocument doc = PDDocument.load(pdf)) {
      List<PDSignature> sigs = doc.getSignatureDictionaries();
      if (sigs.isEmpty()) throw new IllegalStateException("no signature");
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (int s = 0; s < sigs.size(); s++) {
        PDSignature sig = sigs.get(s);
        int[] range = sig.getByteRange();
        if (s == sigs.size() - 1 && (range[0] != 0 || range[2] + range[3] != pdf.length))
          throw new IllegalStateException("the last signature does not cover the whole file");
        CMSSignedData cms =
            new CMSSignedData(new CMSProcessableByteArray(sig.getSignedContent(pdf)), sig.getContents(pdf));
        SignerInformation si = cms.getSignerInfos().getSigners().iterator().next();
        Store<X509CertificateHolder> store = cms.getCertificates();
        @SuppressWarnings("unchecked")
        Selector<X509CertificateHolder> sid = (Selector<X509CertificateHolder>) (Selector<?>) si.getSID();
        X509Certificate signer = converter.getCertificate(store.getMatches(sid).iterator().next());
        if (!si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer)))
          throw new IllegalStateException("signature " + s + " does not verify");
        List<X509Certificate> certs = new ArrayList<>();
        for (X509CertificateHolder h : store.getMatches(null)) certs.add(converter.getCertificate(h));
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(signer);
        PKIXBuilderParameters params =
            new PKIXBuilderParameters(Set.of(new TrustAnchor(root, null)), target);
        params.setRevocationEnabled(false);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(certs)));
        CertPathBuilder.getInstance("PKIX").build(params); // throws when there is no path to the root
      }
    }
  }

  static double peakRssMB() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8))
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
    } catch (IOException e) {
      // no /proc: no figure
    }
    return 0;
  }
}
