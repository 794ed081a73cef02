# Runs with /bin/sh inside the base root filesystem at build time, after the packages are installed.

# usrmerge came in with the essential packages, only to satisfy init-system-helpers, as usr-is-merged
# does now; it goes, and so does the perl (about 50 MB) it pulled in, unless something else needs it.
apt-mark auto -qq perl perl-modules-5.36 libperl5.36 libfile-find-rule-perl libnumber-compare-perl \
  libtext-glob-perl > /dev/null
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q --autoremove -o Dpkg::Use-Pty=0 \
  -o APT::AutoRemove::SuggestsImportant=false usrmerge
if dpkg-query -W -f='${Status}\n' perl 2> /dev/null | grep -q 'install ok installed'; then
  echo "customize.sh: perl is still installed" >&2
  exit 1
fi

# The API socket's group: members may call berth's API through /run/api.sock (Bottlerocket's gid).
groupadd --gid 274 api

# pam_loginuid needs CAP_AUDIT_CONTROL, which default-class containers (control) lack; a login must not
# fail on it.
sed -i -E 's/^(session[[:space:]]+)required([[:space:]]+pam_loginuid\.so)/\1optional\2/' /etc/pam.d/sshd
grep -Eq '^session[[:space:]]+optional[[:space:]]+pam_loginuid\.so' /etc/pam.d/sshd
