// CloudFront Function (viewer request) on the site distribution's default behavior, in front of the
// web bucket: the pages by the paths the page links to, the hashed files under /assets/ as they are,
// and nothing else of the bucket (a 404 here, not S3's 403 for a key it does not have).
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') {
    request.uri = '/index.html';
    return request;
  }
  if (uri === '/console') {
    request.uri = '/console.html';
    return request;
  }
  // One file name under /assets/, as Vite writes them: no folder below it, no dot-segment.
  if (/^\/assets\/[A-Za-z0-9._-]+$/.test(uri) && uri.indexOf('..') === -1) {
    return request;
  }
  return { statusCode: 404, statusDescription: 'Not Found' };
}
