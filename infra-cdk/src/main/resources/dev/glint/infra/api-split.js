import cf from 'cloudfront';
import crypto from 'crypto';

// CloudFront Function (viewer request) on the site distribution's API behaviors: the sticky split between
// the live API and the staged API (README, "Sticky splits between versions"). The key-value store's key
// `api` holds the staged API's share of users in whole percent ("10"); absent, unreadable or 0, everyone
// goes live. A user is the sub of the bearer token's payload, else the first-party cookie glint-split;
// their bucket is VersionSplit's (SHA-256 of split:api:<user>, the first 8 bytes as an unsigned number
// modulo 10,000), and the buckets from (100 - share) * 100 up go to the staged API, as VersionSplit gives
// the higher version the upper range. The token is not verified here: the API's authorizer does, so a
// forged token only picks which API refuses it.
var kvs = cf.kvs();
// The staged API's execute-api domain, written in by the CDK app.
var STAGED_DOMAIN = '__STAGED_API_DOMAIN__';
var BUCKETS = 10000;
// 2^32 mod 10,000: the high half of the 64-bit number in the modulus without BigInt.
var TWO_32_MOD_BUCKETS = 7296;

async function handler(event) {
  var request = event.request;
  var staged = 0;
  try {
    var value = await kvs.get('api');
    if (/^[0-9]{1,3}$/.test(value) && Number(value) <= 100) {
      staged = Number(value);
    }
  } catch (e) {
    // No split set (a missing key is an error here) or the store unreadable: everyone stays live.
  }
  if (staged > 0) {
    var user = userOf(request);
    if (user !== null && bucket('split:api:' + user) >= (100 - staged) * 100) {
      cf.updateRequestOrigin({ domainName: STAGED_DOMAIN });
    }
  }
  return request;
}

function userOf(request) {
  var authorization = request.headers.authorization;
  if (authorization) {
    var jwt = /^Bearer [A-Za-z0-9_-]+\.([A-Za-z0-9_-]{1,4096})\.[A-Za-z0-9_-]*$/.exec(authorization.value);
    if (jwt) {
      try {
        var base64 = jwt[1].replace(/-/g, '+').replace(/_/g, '/');
        while (base64.length % 4 !== 0) {
          base64 += '=';
        }
        var sub = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')).sub;
        if (typeof sub === 'string' && sub.length > 0 && sub.length <= 256) {
          return sub;
        }
      } catch (e) {
        // Not a JWT payload: the API will refuse the token; the cookie or live decides.
      }
    }
  }
  var cookie = request.cookies['glint-split'];
  if (cookie && /^[0-9a-f]{32}$/.test(cookie.value)) {
    return cookie.value;
  }
  return null;
}

function bucket(key) {
  var hex = crypto.createHash('sha256').update(key).digest('hex');
  var high = parseInt(hex.substring(0, 8), 16);
  var low = parseInt(hex.substring(8, 16), 16);
  return ((high % BUCKETS) * TWO_32_MOD_BUCKETS + low % BUCKETS) % BUCKETS;
}
