# Automatically generated from ui/pin.ui by packaging/compile_forms.py - do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'pin.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QDialog, QGridLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_PinDialog(object):
    def setupUi(self, PinDialog):
        if not PinDialog.objectName():
            PinDialog.setObjectName(u"PinDialog")
        PinDialog.resize(400, 660)
        PinDialog.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        PinDialog.setModal(True)
        self.mainLayout = QVBoxLayout(PinDialog)
        self.mainLayout.setSpacing(12)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(24, 24, 24, 24)
        self.reasonLabel = QLabel(PinDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")
        font = QFont()
        font.setPointSize(16)
        font.setBold(True)
        self.reasonLabel.setFont(font)
        self.reasonLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reasonLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.reasonLabel)

        self.pinDisplay = QLineEdit(PinDialog)
        self.pinDisplay.setObjectName(u"pinDisplay")
        self.pinDisplay.setMinimumSize(QSize(0, 64))
        font1 = QFont()
        font1.setPointSize(28)
        font1.setBold(True)
        self.pinDisplay.setFont(font1)
        self.pinDisplay.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pinDisplay.setMaxLength(8)
        self.pinDisplay.setEchoMode(QLineEdit.EchoMode.Password)
        self.pinDisplay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pinDisplay.setReadOnly(True)

        self.mainLayout.addWidget(self.pinDisplay)

        self.notice = QLabel(PinDialog)
        self.notice.setObjectName(u"notice")
        self.notice.setMinimumSize(QSize(0, 44))
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.mainLayout.addWidget(self.notice)

        self.padLayout = QGridLayout()
        self.padLayout.setSpacing(10)
        self.padLayout.setObjectName(u"padLayout")
        self.digit1Button = QPushButton(PinDialog)
        self.digit1Button.setObjectName(u"digit1Button")
        self.digit1Button.setMinimumSize(QSize(96, 80))
        font2 = QFont()
        font2.setPointSize(24)
        font2.setBold(True)
        self.digit1Button.setFont(font2)
        self.digit1Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit1Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit1Button, 0, 0, 1, 1)

        self.digit2Button = QPushButton(PinDialog)
        self.digit2Button.setObjectName(u"digit2Button")
        self.digit2Button.setMinimumSize(QSize(96, 80))
        self.digit2Button.setFont(font2)
        self.digit2Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit2Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit2Button, 0, 1, 1, 1)

        self.digit3Button = QPushButton(PinDialog)
        self.digit3Button.setObjectName(u"digit3Button")
        self.digit3Button.setMinimumSize(QSize(96, 80))
        self.digit3Button.setFont(font2)
        self.digit3Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit3Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit3Button, 0, 2, 1, 1)

        self.digit4Button = QPushButton(PinDialog)
        self.digit4Button.setObjectName(u"digit4Button")
        self.digit4Button.setMinimumSize(QSize(96, 80))
        self.digit4Button.setFont(font2)
        self.digit4Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit4Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit4Button, 1, 0, 1, 1)

        self.digit5Button = QPushButton(PinDialog)
        self.digit5Button.setObjectName(u"digit5Button")
        self.digit5Button.setMinimumSize(QSize(96, 80))
        self.digit5Button.setFont(font2)
        self.digit5Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit5Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit5Button, 1, 1, 1, 1)

        self.digit6Button = QPushButton(PinDialog)
        self.digit6Button.setObjectName(u"digit6Button")
        self.digit6Button.setMinimumSize(QSize(96, 80))
        self.digit6Button.setFont(font2)
        self.digit6Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit6Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit6Button, 1, 2, 1, 1)

        self.digit7Button = QPushButton(PinDialog)
        self.digit7Button.setObjectName(u"digit7Button")
        self.digit7Button.setMinimumSize(QSize(96, 80))
        self.digit7Button.setFont(font2)
        self.digit7Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit7Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit7Button, 2, 0, 1, 1)

        self.digit8Button = QPushButton(PinDialog)
        self.digit8Button.setObjectName(u"digit8Button")
        self.digit8Button.setMinimumSize(QSize(96, 80))
        self.digit8Button.setFont(font2)
        self.digit8Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit8Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit8Button, 2, 1, 1, 1)

        self.digit9Button = QPushButton(PinDialog)
        self.digit9Button.setObjectName(u"digit9Button")
        self.digit9Button.setMinimumSize(QSize(96, 80))
        self.digit9Button.setFont(font2)
        self.digit9Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit9Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit9Button, 2, 2, 1, 1)

        self.clearButton = QPushButton(PinDialog)
        self.clearButton.setObjectName(u"clearButton")
        self.clearButton.setMinimumSize(QSize(96, 80))
        font3 = QFont()
        font3.setPointSize(16)
        self.clearButton.setFont(font3)
        self.clearButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clearButton.setAutoDefault(False)

        self.padLayout.addWidget(self.clearButton, 3, 0, 1, 1)

        self.digit0Button = QPushButton(PinDialog)
        self.digit0Button.setObjectName(u"digit0Button")
        self.digit0Button.setMinimumSize(QSize(96, 80))
        self.digit0Button.setFont(font2)
        self.digit0Button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.digit0Button.setAutoDefault(False)

        self.padLayout.addWidget(self.digit0Button, 3, 1, 1, 1)

        self.okButton = QPushButton(PinDialog)
        self.okButton.setObjectName(u"okButton")
        self.okButton.setMinimumSize(QSize(96, 80))
        font4 = QFont()
        font4.setPointSize(18)
        font4.setBold(True)
        self.okButton.setFont(font4)
        self.okButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.okButton.setAutoDefault(False)

        self.padLayout.addWidget(self.okButton, 3, 2, 1, 1)


        self.mainLayout.addLayout(self.padLayout)

        self.cancelButton = QPushButton(PinDialog)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(0, 56))
        self.cancelButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancelButton.setAutoDefault(False)

        self.mainLayout.addWidget(self.cancelButton)


        self.retranslateUi(PinDialog)

        self.okButton.setDefault(True)

    # setupUi

    def retranslateUi(self, PinDialog):
        PinDialog.setWindowTitle(QCoreApplication.translate("PinDialog", u"Enter PIN", None))
        self.reasonLabel.setText(QCoreApplication.translate("PinDialog", u"Sign in with your PIN", None))
        self.pinDisplay.setPlaceholderText(QCoreApplication.translate("PinDialog", u"PIN", None))
        self.notice.setText("")
        self.digit1Button.setText(QCoreApplication.translate("PinDialog", u"1", None))
        self.digit2Button.setText(QCoreApplication.translate("PinDialog", u"2", None))
        self.digit3Button.setText(QCoreApplication.translate("PinDialog", u"3", None))
        self.digit4Button.setText(QCoreApplication.translate("PinDialog", u"4", None))
        self.digit5Button.setText(QCoreApplication.translate("PinDialog", u"5", None))
        self.digit6Button.setText(QCoreApplication.translate("PinDialog", u"6", None))
        self.digit7Button.setText(QCoreApplication.translate("PinDialog", u"7", None))
        self.digit8Button.setText(QCoreApplication.translate("PinDialog", u"8", None))
        self.digit9Button.setText(QCoreApplication.translate("PinDialog", u"9", None))
#if QT_CONFIG(tooltip)
        self.clearButton.setToolTip(QCoreApplication.translate("PinDialog", u"Clear the PIN (Backspace removes one digit)", None))
#endif // QT_CONFIG(tooltip)
        self.clearButton.setText(QCoreApplication.translate("PinDialog", u"Clear", None))
        self.digit0Button.setText(QCoreApplication.translate("PinDialog", u"0", None))
#if QT_CONFIG(tooltip)
        self.okButton.setToolTip(QCoreApplication.translate("PinDialog", u"Sign in (Enter)", None))
#endif // QT_CONFIG(tooltip)
        self.okButton.setText(QCoreApplication.translate("PinDialog", u"OK", None))
#if QT_CONFIG(tooltip)
        self.cancelButton.setToolTip(QCoreApplication.translate("PinDialog", u"Cancel (Esc)", None))
#endif // QT_CONFIG(tooltip)
        self.cancelButton.setText(QCoreApplication.translate("PinDialog", u"Cancel", None))
    # retranslateUi

