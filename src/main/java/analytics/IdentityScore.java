package analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A rule-based identity score for a new customer, from 0 (nothing checks out) to 1 (every rule
 * holds). Each rule that holds adds its weight:
 *
 * <table>
 *   <tr><th>rule</th><th>weight</th></tr>
 *   <tr><td>name has at least two words (given and family name)</td><td>0.15</td></tr>
 *   <tr><td>email is well formed ({@code local@domain.tld})</td><td>0.20</td></tr>
 *   <tr><td>phone holds 7 to 15 digits (E.164), with only + space ( ) - besides</td><td>0.15</td></tr>
 *   <tr><td>date of birth makes the customer 18 to 120 years old today</td><td>0.20</td></tr>
 *   <tr><td>national id (the identity document number) is 5 to 64 letters, digits or dashes</td><td>0.20</td></tr>
 *   <tr><td>country is a two-letter ISO 3166 code</td><td>0.10</td></tr>
 * </table>
 */
public final class IdentityScore {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
  private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ()-]+$");
  private static final Pattern DOCUMENT = Pattern.compile("^[A-Za-z0-9-]{5,64}$");
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");

  private IdentityScore() {}

  /**
   * @param customer the customer's fields as text (absent fields missing or null)
   */
  public static BigDecimal score(Map<String, String> customer, LocalDate today) {
    int points = 0; // in hundredths, so the sum is exact
    points += holds(customer.get("name"), name -> name.strip().split("\\s+").length >= 2) ? 15 : 0;
    points += holds(customer.get("email"), email -> EMAIL.matcher(email).matches()) ? 20 : 0;
    points += holds(customer.get("phone"), IdentityScore::phone) ? 15 : 0;
    points += holds(customer.get("date_of_birth"), birth -> adult(birth, today)) ? 20 : 0;
    points += holds(customer.get("national_id"), id -> DOCUMENT.matcher(id).matches()) ? 20 : 0;
    points +=
        holds(customer.get("country"), country -> COUNTRY.matcher(country).matches()) ? 10 : 0;
    return BigDecimal.valueOf(points, 2);
  }

  private static boolean holds(String value, java.util.function.Predicate<String> rule) {
    return value != null && rule.test(value);
  }

  private static boolean phone(String phone) {
    long digits = phone.chars().filter(Character::isDigit).count();
    return PHONE.matcher(phone).matches() && digits >= 7 && digits <= 15;
  }

  private static boolean adult(String birth, LocalDate today) {
    try {
      int age = Period.between(LocalDate.parse(birth), today).getYears();
      return age >= 18 && age <= 120;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
