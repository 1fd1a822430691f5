package domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The ledger's signature on each block it seals: Ed25519 over {@code ledger-head|{index}|{hash}},
 * so the chain up to that block (every hash covers the one before) is vouched for by a key kept
 * outside the database. Whoever can rewrite the tables can recompute every hash, but not sign. The
 * keys are PKCS#8 (private) and X.509 (public), as PEM or bare base64, the forms {@code openssl
 * genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write.
 */
public final class HeadSignatures {
  private static final String ALGORITHM = "Ed25519";

  private final PrivateKey signing; // null where blocks are only verified
  private final PublicKey verifying;

  private HeadSignatures(PrivateKey signing, PublicKey verifying) {
    this.signing = signing;
    this.verifying = verifying;
  }

  /**
   * @param signingKey the private key, or null to verify only
   * @throws IllegalArgumentException naming which key is unreadable, or when the two are not one
   *     pair
   */
  public static HeadSignatures of(String signingKey, String publicKey) {
    HeadSignatures keys =
        new HeadSignatures(
            signingKey == null ? null : privateKey(signingKey), publicKey(publicKey));
    if (keys.signing != null && !keys.verifies(0, "pair-check", keys.sign(0, "pair-check"))) {
      throw new IllegalArgumentException(
          "the ledger's signing key and public key are not one pair");
    }
    return keys;
  }

  /** A new key pair, as {@code [private PKCS#8, public X.509]} in base64. */
  public static String[] generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      return new String[] {
        base64(pair.getPrivate().getEncoded()), base64(pair.getPublic().getEncoded())
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 17 runtime has Ed25519", e);
    }
  }

  public boolean canSign() {
    return signing != null;
  }

  /** The signature of the block {@code index} with this hash, in base64. */
  public String sign(long index, String hash) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(signing);
      signature.update(signed(index, hash));
      return base64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing block " + index + " failed", e);
    }
  }

  /**
   * Whether {@code signature} (base64; null when there is none) is this key's on the block {@code
   * index} and hash.
   */
  public boolean verifies(long index, String hash, String signature) {
    if (signature == null) {
      return false;
    }
    try {
      Signature check = Signature.getInstance(ALGORITHM);
      check.initVerify(verifying);
      check.update(signed(index, hash));
      return check.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The public key as base64 X.509, for an auditor to keep. */
  public String publicKey() {
    return base64(verifying.getEncoded());
  }

  private static byte[] signed(long index, String hash) {
    return ("ledger-head|" + index + "|" + hash).getBytes(StandardCharsets.UTF_8);
  }

  private static PrivateKey privateKey(String text) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(text)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the ledger's signing key is not an Ed25519 private key in PKCS#8 (PEM or "
              + "base64): "
              + e.getMessage());
    }
  }

  private static PublicKey publicKey(String text) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(text)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the ledger's public key is not an Ed25519 public key in X.509 (PEM or "
              + "base64): "
              + e.getMessage());
    }
  }

  /** The DER bytes of PEM (armour and line breaks dropped) or bare base64. */
  private static byte[] der(String text) {
    return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").strip());
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
