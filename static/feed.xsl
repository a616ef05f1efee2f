<?xml version="1.0" encoding="utf-8"?>
<!-- An Atom feed of the tracker, shown as a page when opened in a browser (feed readers ignore this). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="{@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <main id="main">
          <p class="banner feed-banner">
            <xsl:choose>
              <xsl:when test="@xml:lang = 'fr'">Ceci est un fil Atom : copiez son adresse dans votre lecteur de fils pour suivre ces changements. </xsl:when>
              <xsl:otherwise>This is an Atom feed: copy its address into your feed reader to follow these changes. </xsl:otherwise>
            </xsl:choose>
            <a href="{atom:link[@rel='alternate']/@href}">
              <xsl:choose>
                <xsl:when test="@xml:lang = 'fr'">Voir la page</xsl:when>
                <xsl:otherwise>See the page</xsl:otherwise>
              </xsl:choose>
            </a>
          </p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="lede"><xsl:value-of select="atom:subtitle"/></p>
          <ol class="history feed-entries">
            <xsl:for-each select="atom:entry">
              <li>
                <h2 class="feed-entry-title"><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
                <p class="as-of"><time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></p>
                <p><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
